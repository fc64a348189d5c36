#include "model/log_summary.h"

#include <stdio.h>
#include <time.h>

void
fl_format_time(double ts, char buf[32])
{
	time_t t = (time_t)ts;
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, 32, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(buf, 32, "?");
}
