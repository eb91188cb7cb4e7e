#include "atlas_png.h"
