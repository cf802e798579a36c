# narrator_target_defaults(target): the warning set every Narrator target is built with.
function(narrator_target_defaults target)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    return()
  endif()
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  # Sources compile in batches (a unity build): the headers they share (ICU, eSpeak NG, the
  # engine's own) are parsed once per batch, which cuts the build's time by about a third.
  set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
  if(NARRATOR_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# narrator_shared_library_part(target): a static library that is also linked into libnarrator.so.
# Position-independent code, so that it can go into a shared library; hidden visibility, so that
# only what narrator.h marks NARRATOR_API is exported (the linker's version script,
# engine/src/api/narrator.map, then keeps every other symbol, libstdc++'s included, out too).
function(narrator_shared_library_part target)
  set_target_properties(${target} PROPERTIES
    POSITION_INDEPENDENT_CODE ON
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
endfunction()
