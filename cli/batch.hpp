// batch.hpp: `narrate batch FILES…|DIR --out-dir D -j N`.
#pragma once

#include "cli_options.hpp"
#include "narrator/cancel_token.hpp"

namespace narrator::cli {

// Narrates every article into D/NAME.FORMAT with D/NAME.json beside it, in up to -j worker
// processes, skipping articles whose manifest records the same input and settings and whose audio
// is the one the manifest describes (its size and SHA-256). Prints a
// table (status, time, article, error). Throws Error(kInput) when any article failed, after all
// were tried; Error(kCancelled) on Ctrl-C (the workers stop and remove their partial files).
void run_batch(const CliOptions& options, const CancelToken& cancel);

}  // namespace narrator::cli
