// SPDX-License-Identifier: MIT
// The library's version, kept equal to the one in CMakeLists.txt.
#pragma once

/// \file
/// The library's version as macros, equal to the `VERSION` of the CMake project.

/// The major number, `MAJOR` of `MAJOR.MINOR.PATCH`.
#define TRIALODE_VERSION_MAJOR 0
/// The minor number, `MINOR` of `MAJOR.MINOR.PATCH`.
#define TRIALODE_VERSION_MINOR 1
/// The patch number, `PATCH` of `MAJOR.MINOR.PATCH`.
#define TRIALODE_VERSION_PATCH 0
/// The version as `"MAJOR.MINOR.PATCH"`.
#define TRIALODE_VERSION_STRING "0.1.0"
