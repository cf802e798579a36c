# narrator_embed_data(TARGET target ROOT dir FILES relpath...)
#
# Embeds data files into `target` at build time. The files stay the only source: a generated
# translation unit defines narrator::detail::embedded_files(), a table of {relative path, bytes}.
# Editing a data file regenerates the table on the next build.
function(narrator_embed_data)
  cmake_parse_arguments(ARG "" "TARGET;ROOT" "FILES" ${ARGN})
  set(output "${CMAKE_CURRENT_BINARY_DIR}/${ARG_TARGET}_embedded_data.cpp")
  set(inputs "")
  foreach(rel IN LISTS ARG_FILES)
    list(APPEND inputs "${ARG_ROOT}/${rel}")
  endforeach()
  string(REPLACE ";" "|" files_arg "${ARG_FILES}")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND ${CMAKE_COMMAND} "-DROOT=${ARG_ROOT}" "-DFILES=${files_arg}" "-DOUTPUT=${output}"
            -P "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/embed_files.cmake"
    DEPENDS ${inputs} "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/embed_files.cmake"
    COMMENT "Embedding ${ARG_TARGET} data files"
    VERBATIM)
  target_sources(${ARG_TARGET} PRIVATE "${output}")
endfunction()
