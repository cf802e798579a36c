# gtest_suites.cmake: run after a test binary is linked (cmake -P, see NarratorTestsBySuite.cmake).
# Lists the binary's cases that TEST_FILTER selects and writes CTEST_FILE: one add_test() per
# suite, whose --gtest_filter names exactly those cases, with TEST_PROPERTIES on each.
foreach(var TEST_EXECUTABLE TEST_WORKING_DIR CTEST_FILE TEST_TIMEOUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "gtest_suites.cmake: ${var} is not set")
  endif()
endforeach()

# Lists the cases `filter` selects, as Suite.Case into the variable `out`.
function(list_cases filter out)
  set(args --gtest_list_tests)
  if(filter)
    list(APPEND args "--gtest_filter=${filter}")
  endif()
  execute_process(COMMAND "${TEST_EXECUTABLE}" ${args}
                  WORKING_DIRECTORY "${TEST_WORKING_DIR}"
                  TIMEOUT ${TEST_TIMEOUT}
                  OUTPUT_VARIABLE output
                  ERROR_VARIABLE errors
                  RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "Listing the tests of ${TEST_EXECUTABLE} failed (${result}):\n"
                        "${output}${errors}")
  endif()
  string(REPLACE ";" "\\;" output "${output}")
  string(REPLACE "\n" ";" lines "${output}")
  set(cases)
  set(suite)
  foreach(line IN LISTS lines)
    # "Suite." or "Suite.  # TypeParam = ...", then "  Case" or "  Case  # GetParam() = ...".
    string(REGEX REPLACE " +#.*$" "" line "${line}")
    if(line MATCHES "^([^ ]+)\\.$")
      set(suite "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^  ([^ ]+)$" AND suite)
      list(APPEND cases "${suite}.${CMAKE_MATCH_1}")
    endif()
  endforeach()
  set(${out} "${cases}" PARENT_SCOPE)
endfunction()

list_cases("${TEST_FILTER}" selected)
list_cases("" everything)

# Group the selected cases by suite, keeping the binary's order.
set(suites)
foreach(case IN LISTS selected)
  string(REGEX REPLACE "\\.[^.]*$" "" suite "${case}")
  string(MAKE_C_IDENTIFIER "${suite}" key)
  if(NOT DEFINED cases_${key})
    list(APPEND suites "${suite}")
    set(cases_${key})
  endif()
  string(REGEX REPLACE "^.*\\." "" name "${case}")
  list(APPEND cases_${key} "${name}")
endforeach()
foreach(case IN LISTS everything)
  string(REGEX REPLACE "\\.[^.]*$" "" suite "${case}")
  string(MAKE_C_IDENTIFIER "${suite}" key)
  if(NOT DEFINED all_${key})
    set(all_${key} 0)
  endif()
  math(EXPR all_${key} "${all_${key}} + 1")
endforeach()

set(script "")
foreach(suite IN LISTS suites)
  string(MAKE_C_IDENTIFIER "${suite}" key)
  list(LENGTH cases_${key} count)
  if(count EQUAL all_${key})
    set(test_name "${suite}.*")
    set(filter "${suite}.*")
  else()
    list(JOIN cases_${key} "," names)
    set(test_name "${suite}.{${names}}")
    list(TRANSFORM cases_${key} PREPEND "${suite}." OUTPUT_VARIABLE full)
    list(JOIN full ":" filter)
  endif()
  string(APPEND script
         "add_test([==[${test_name}]==] [==[${TEST_EXECUTABLE}]==] [==[--gtest_filter=${filter}]==])\n"
         "set_tests_properties([==[${test_name}]==] PROPERTIES WORKING_DIRECTORY [==[${TEST_WORKING_DIR}]==]")
  set(properties ${TEST_PROPERTIES})
  while(properties)
    list(POP_FRONT properties key value)
    string(APPEND script " ${key} [==[${value}]==]")
  endwhile()
  string(APPEND script ")\n")
endforeach()
file(WRITE "${CTEST_FILE}" "${script}")
