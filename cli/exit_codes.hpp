// exit_codes.hpp: the one table from ErrorCategory to the process exit status (see README.md).
#pragma once

#include "narrator/error.hpp"

namespace narrator::cli {

constexpr int kExitSuccess = 0;
constexpr int kExitUsage = 2;

int exit_code_for(ErrorCategory category) noexcept;

}  // namespace narrator::cli
