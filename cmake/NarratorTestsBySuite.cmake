# NarratorTestsBySuite.cmake: with NARRATOR_TESTS_BY_SUITE on, gtest_discover_tests() registers one
# ctest test per GoogleTest suite (each running that suite's cases in one process) instead of one
# per case.
#
# Why: under the sanitizers a test process costs about 0.1 s of CPU to start (a large binary, the
# shadow memory, the voice data) while most cases take a few milliseconds, so a run of ~700 cases
# spent most of its time starting processes. The asan preset turns this on; the Release tree keeps
# one test per case, so `ctest -R Suite.Case` and its skip reports stay as they were, and so does
# the TSan tree, whose few long threaded cases two cores share out better one by one.
#
# The calls keep their meaning: TEST_FILTER still selects the cases and PROPERTIES (labels,
# timeouts) apply to each suite's test. A suite that a filter splits (some cases under one label,
# the rest under another) gets one test per part, named by its cases: Suite.{CaseA,CaseB}.
include_guard(GLOBAL)
include(GoogleTest)

if(NARRATOR_TESTS_BY_SUITE)
  set(_narrator_suites_script "${CMAKE_CURRENT_LIST_DIR}/gtest_suites.cmake")

  function(gtest_discover_tests target)
    cmake_parse_arguments(PARSE_ARGV 1 arg "" "DISCOVERY_TIMEOUT;WORKING_DIRECTORY"
                          "TEST_FILTER;PROPERTIES")
    if(arg_UNPARSED_ARGUMENTS)
      message(FATAL_ERROR "gtest_discover_tests(${target}): ${arg_UNPARSED_ARGUMENTS} is not "
                          "supported with NARRATOR_TESTS_BY_SUITE (cmake/NarratorTestsBySuite.cmake)")
    endif()
    if(NOT arg_DISCOVERY_TIMEOUT)
      set(arg_DISCOVERY_TIMEOUT 30)
    endif()
    if(NOT arg_WORKING_DIRECTORY)
      set(arg_WORKING_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")
    endif()
    get_property(counter TARGET ${target} PROPERTY NARRATOR_SUITE_LIST_COUNTER)
    if(NOT counter)
      set(counter 0)
    endif()
    math(EXPR counter "${counter} + 1")
    set_property(TARGET ${target} PROPERTY NARRATOR_SUITE_LIST_COUNTER ${counter})

    set(tests_file "${CMAKE_CURRENT_BINARY_DIR}/${target}[${counter}]_suites.cmake")
    add_custom_command(
      TARGET ${target} POST_BUILD
      BYPRODUCTS "${tests_file}"
      COMMAND "${CMAKE_COMMAND}" -D "TEST_EXECUTABLE=$<TARGET_FILE:${target}>"
              -D "TEST_WORKING_DIR=${arg_WORKING_DIRECTORY}" -D "TEST_FILTER=${arg_TEST_FILTER}"
              -D "TEST_PROPERTIES=${arg_PROPERTIES}" -D "TEST_TIMEOUT=${arg_DISCOVERY_TIMEOUT}"
              -D "CTEST_FILE=${tests_file}" -P "${_narrator_suites_script}"
      VERBATIM)
    set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${target}[${counter}]_suites_include.cmake")
    file(WRITE "${include_file}"
         "if(EXISTS \"${tests_file}\")\n"
         "  include(\"${tests_file}\")\n"
         "else()\n"
         "  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
         "endif()\n")
    set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
  endfunction()
endif()
