// test_pch.cpp: the translation unit that precompiles GoogleTest's header for every test binary
// (tests/CMakeLists.txt, narrator_test_pch).
