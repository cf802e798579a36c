# NarratorInstall.cmake: `cmake --install` rules. Included by the top-level CMakeLists.txt after
# every target is defined.
#
# Installs, beside each other in the library folder:
#   libnarrator.so   the C API (narrator/narrator.h), shared: narrator.pc, Narrator::narrator
#   libnarrator_*.a  the C++ API (narrator/engine.hpp) and the C API, static: narrator-static.pc,
#                    Narrator::engine (with ::audio, ::lexicon, ::base)
# with the public headers, the narrate tool and the CMake package (find_package(Narrator CONFIG)).
# The static libraries need their private dependencies at link time: both the package and
# narrator-static.pc list them, derived from what the targets link, so a dependency added with
# pkg_check_modules(... IMPORTED_TARGET ...) in the top-level CMakeLists.txt is exported without
# editing this file. The shared library names its own dependencies. The built-in data is compiled
# into narrator_lexicon; no data files install. Playback (narrator_playback) is the tool's and is
# not installed.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_narrator_targets narrator_base narrator_lexicon narrator_audio narrator_engine)  # static
set(NARRATOR_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/Narrator"
    CACHE STRING "Where the Narrator CMake package is installed, relative to the prefix")

# narrator.h carries the version for C callers (and narrator_version()); it must match project().
file(STRINGS "${PROJECT_SOURCE_DIR}/engine/include/narrator/narrator.h" _narrator_h_version
     REGEX "^#define NARRATOR_VERSION_STRING ")
if(NOT _narrator_h_version STREQUAL "#define NARRATOR_VERSION_STRING \"${PROJECT_VERSION}\"")
  message(FATAL_ERROR "engine/include/narrator/narrator.h says '${_narrator_h_version}' but "
                      "project() says ${PROJECT_VERSION}; update NARRATOR_VERSION_* in narrator.h")
endif()

# The targets name their include folders in the source tree; in the package they are the
# installed include folder instead.
foreach(_target IN LISTS _narrator_targets ITEMS narrator)
  get_target_property(_dirs ${_target} INTERFACE_INCLUDE_DIRECTORIES)
  set(_exported "")
  foreach(_dir IN LISTS _dirs)
    if(_dir MATCHES "^\\$<")
      list(APPEND _exported "${_dir}")
    else()
      list(APPEND _exported "$<BUILD_INTERFACE:${_dir}>")
    endif()
  endforeach()
  list(APPEND _exported "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
  set_target_properties(${_target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${_exported}")
  string(REPLACE "narrator_" "" _export_name ${_target})
  set_target_properties(${_target} PROPERTIES EXPORT_NAME ${_export_name})
endforeach()

# What a consumer must find for the exported targets to link, from the targets' own links
# (package / narrator-static.pc):
#   PkgConfig::<PREFIX> → pkg_check_modules(<PREFIX> IMPORTED_TARGET <module>) / its --libs
#   ICU::<component>    → find_dependency(ICU COMPONENTS ...) / icu-<component>'s --libs
#   Threads::Threads    → find_dependency(Threads) / -pthread
# Anything else imported stops the configure step, so a new kind of dependency cannot be
# forgotten here.
set(_narrator_pkg_prefixes "")
set(_narrator_pkg_modules "")
set(_narrator_icu_components "")
set(_narrator_plain_libs "")
set(_narrator_threads OFF)
foreach(_target IN LISTS _narrator_targets)
  get_target_property(_type ${_target} TYPE)
  if(_type STREQUAL "INTERFACE_LIBRARY")
    get_target_property(_links ${_target} INTERFACE_LINK_LIBRARIES)
  else()
    get_target_property(_links ${_target} LINK_LIBRARIES)
  endif()
  if(NOT _links)
    continue()
  endif()
  foreach(_link IN LISTS _links)
    if(_link IN_LIST _narrator_targets)
      continue()
    elseif(_link STREQUAL "Threads::Threads")
      set(_narrator_threads ON)
    elseif(_link MATCHES "^PkgConfig::(.+)$")
      set(_prefix "${CMAKE_MATCH_1}")
      if(NOT _prefix IN_LIST _narrator_pkg_prefixes)
        if(NOT ${_prefix}_MODULE_NAME)
          message(FATAL_ERROR "${_target} links ${_link}, but ${_prefix}_MODULE_NAME is unset: "
                              "find it with pkg_check_modules(${_prefix} REQUIRED IMPORTED_TARGET "
                              "<one module>)")
        endif()
        list(APPEND _narrator_pkg_prefixes "${_prefix}")
        list(APPEND _narrator_pkg_modules "${${_prefix}_MODULE_NAME}")
      endif()
    elseif(_link MATCHES "^ICU::(.+)$")
      list(APPEND _narrator_icu_components "${CMAKE_MATCH_1}")
    elseif(_link MATCHES "^[A-Za-z0-9_.+-]+$" AND NOT TARGET "${_link}")
      list(APPEND _narrator_plain_libs "${_link}")  # a system library such as m or dl
    else()
      message(FATAL_ERROR "${_target} links '${_link}', which cmake/NarratorInstall.cmake does "
                          "not know how to export; teach it how a consumer finds that dependency")
    endif()
  endforeach()
endforeach()
list(REMOVE_DUPLICATES _narrator_icu_components)
list(REMOVE_DUPLICATES _narrator_plain_libs)

# NarratorConfig.cmake's find_dependency lines.
set(NARRATOR_FIND_DEPENDENCIES "")
if(_narrator_threads)
  string(APPEND NARRATOR_FIND_DEPENDENCIES "find_dependency(Threads)\n")
endif()
if(_narrator_icu_components)
  list(JOIN _narrator_icu_components " " _components)
  string(APPEND NARRATOR_FIND_DEPENDENCIES "find_dependency(ICU COMPONENTS ${_components})\n")
endif()
if(_narrator_pkg_prefixes)
  string(APPEND NARRATOR_FIND_DEPENDENCIES "find_dependency(PkgConfig)\n")
  foreach(_prefix _module IN ZIP_LISTS _narrator_pkg_prefixes _narrator_pkg_modules)
    string(APPEND NARRATOR_FIND_DEPENDENCIES
           "_narrator_pkg_dependency(${_prefix} ${_module})\n")
  endforeach()
endif()

# narrator-static.pc: Libs.private carries every dependency's own link flags (`pkg-config
# --libs`, as found now), the C++ runtime (what the C++ compiler links and the C compiler does not), threads
# and system libraries. Not Requires.private: with --static, pkg-config would then also demand
# the dependencies' private static libraries (sndfile's LAME, FLAC, ...), which a system with
# only their shared libraries lacks. No dependency header is needed: the public headers include
# only the standard library.
set(_pc_ldflags "")
foreach(_prefix IN LISTS _narrator_pkg_prefixes)
  list(APPEND _pc_ldflags ${${_prefix}_LDFLAGS})
endforeach()
if(_narrator_icu_components)
  set(_icu_modules "")
  foreach(_component IN LISTS _narrator_icu_components)
    list(APPEND _icu_modules "icu-${_component}")
  endforeach()
  pkg_check_modules(_NARRATOR_PC_ICU QUIET ${_icu_modules})
  if(_NARRATOR_PC_ICU_FOUND)
    list(APPEND _pc_ldflags ${_NARRATOR_PC_ICU_LDFLAGS})
  else()
    foreach(_component IN LISTS _narrator_icu_components)
      list(APPEND _pc_ldflags "-licu${_component}")
    endforeach()
  endif()
endif()
foreach(_lib IN LISTS _narrator_plain_libs)
  list(APPEND _pc_ldflags "-l${_lib}")
endforeach()
set(_runtime ${CMAKE_CXX_IMPLICIT_LINK_LIBRARIES})
if(_runtime AND CMAKE_C_IMPLICIT_LINK_LIBRARIES)
  list(REMOVE_ITEM _runtime ${CMAKE_C_IMPLICIT_LINK_LIBRARIES})
endif()
foreach(_lib IN LISTS _runtime)
  list(APPEND _pc_ldflags "-l${_lib}")
endforeach()
if(_narrator_threads)
  list(APPEND _pc_ldflags "-pthread")
endif()
foreach(_dir IN LISTS CMAKE_C_IMPLICIT_LINK_DIRECTORIES)
  list(REMOVE_ITEM _pc_ldflags "-L${_dir}")  # the linker searches these anyway
endforeach()
list(REMOVE_DUPLICATES _pc_ldflags)
list(JOIN _pc_ldflags " " NARRATOR_PC_LIBS_PRIVATE)
list(JOIN _narrator_pkg_modules " " NARRATOR_PC_MODULES)
# Libs in link order: the engine before the libraries it uses.
set(NARRATOR_PC_LIBS "")
foreach(_target narrator_engine narrator_lexicon narrator_audio)
  get_target_property(_output ${_target} OUTPUT_NAME)
  if(NOT _output)
    set(_output ${_target})
  endif()
  string(APPEND NARRATOR_PC_LIBS " -l${_output}")
endforeach()
string(STRIP "${NARRATOR_PC_LIBS}" NARRATOR_PC_LIBS)
# The .pc file finds the prefix from its own place, so the install can be relocated (--prefix).
file(RELATIVE_PATH NARRATOR_PC_PREFIX_FROM_PCFILEDIR
     "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" NARRATOR_PC_PREFIX_FROM_PCFILEDIR
       "${NARRATOR_PC_PREFIX_FROM_PCFILEDIR}")
foreach(_pc narrator narrator-static)
  configure_file("${CMAKE_CURRENT_LIST_DIR}/${_pc}.pc.in" "${PROJECT_BINARY_DIR}/${_pc}.pc" @ONLY)
endforeach()

install(TARGETS ${_narrator_targets}
  EXPORT NarratorTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
# libnarrator.so.X.Y.Z, the libnarrator.so.SOVERSION link the loader finds, and libnarrator.so for
# the linker.
install(TARGETS narrator
  EXPORT NarratorSharedTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS narrate RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

# Public headers: the engine's API and what it includes, plus the sinks that Engine::narrate_to()
# writes into (file_sinks.hpp, which needs audio_format.hpp, and memory_sink.hpp). Nothing else:
# the lexicon's headers, narrator/detail/ and the rest of audio/ are internal, so their data
# formats and helpers may change without breaking a user. tests/install checks that every
# installed header's includes are installed too.
install(FILES
  "${PROJECT_SOURCE_DIR}/engine/include/narrator/article.hpp"
  "${PROJECT_SOURCE_DIR}/engine/include/narrator/engine.hpp"
  "${PROJECT_SOURCE_DIR}/engine/include/narrator/narrator.h"
  "${PROJECT_SOURCE_DIR}/engine/include/narrator/options.hpp"
  "${PROJECT_SOURCE_DIR}/engine/include/narrator/voice.hpp"
  "${PROJECT_SOURCE_DIR}/engine/base/include/narrator/cancel_token.hpp"
  "${PROJECT_SOURCE_DIR}/engine/base/include/narrator/diagnostics.hpp"
  "${PROJECT_SOURCE_DIR}/engine/base/include/narrator/error.hpp"
  "${PROJECT_SOURCE_DIR}/engine/base/include/narrator/source_span.hpp"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/narrator)
install(FILES
  "${PROJECT_SOURCE_DIR}/audio/include/narrator/audio/audio_chunk.hpp"
  "${PROJECT_SOURCE_DIR}/audio/include/narrator/audio/audio_format.hpp"
  "${PROJECT_SOURCE_DIR}/audio/include/narrator/audio/audio_sink.hpp"
  "${PROJECT_SOURCE_DIR}/audio/include/narrator/audio/file_sinks.hpp"
  "${PROJECT_SOURCE_DIR}/audio/include/narrator/audio/memory_sink.hpp"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/narrator/audio)

install(EXPORT NarratorTargets
  NAMESPACE Narrator::
  DESTINATION ${NARRATOR_INSTALL_CMAKEDIR})
install(EXPORT NarratorSharedTargets
  NAMESPACE Narrator::
  DESTINATION ${NARRATOR_INSTALL_CMAKEDIR})
configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/NarratorConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/NarratorConfig.cmake"
  INSTALL_DESTINATION ${NARRATOR_INSTALL_CMAKEDIR})
# 0.x releases may break their API at each minor version.
write_basic_package_version_file("${PROJECT_BINARY_DIR}/NarratorConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/NarratorConfig.cmake"
  "${PROJECT_BINARY_DIR}/NarratorConfigVersion.cmake"
  DESTINATION ${NARRATOR_INSTALL_CMAKEDIR})
install(FILES "${PROJECT_BINARY_DIR}/narrator.pc" "${PROJECT_BINARY_DIR}/narrator-static.pc"
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
