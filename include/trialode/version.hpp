// SPDX-License-Identifier: MIT
// The library's version, kept equal to the one in CMakeLists.txt.
#pragma once

#define TRIALODE_VERSION_MAJOR 0
#define TRIALODE_VERSION_MINOR 1
#define TRIALODE_VERSION_PATCH 0
#define TRIALODE_VERSION_STRING "0.1.0"
