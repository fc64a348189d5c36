#include "model/trace.h"

const char *
step_kind_name(enum step_kind k)
{
	static const char *const names[] = {
#define STEP_NAME(k) #k,
	    STEP_KINDS(STEP_NAME)
#undef STEP_NAME
	};
	return names[k];
}
