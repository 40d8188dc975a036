/* SPDX-License-Identifier: MIT */
/* banned.h: functions that must not be used in convene, after git's banned.h. Include it last
 * in every .c file: a use of one of these then fails to compile. */
#ifndef CV_BANNED_H
#define CV_BANNED_H

#define CV_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) CV_BANNED(strcpy)
#undef strcat
#define strcat(x, y) CV_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) CV_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) CV_BANNED(strncat)
#undef sprintf
#define sprintf(...) CV_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) CV_BANNED(vsprintf)
#undef strtok
#define strtok(x, y) CV_BANNED(strtok)
#undef gets
#define gets(x) CV_BANNED(gets)
#undef atoi
#define atoi(x) CV_BANNED(atoi)
#undef atol
#define atol(x) CV_BANNED(atol)
#undef atoll
#define atoll(x) CV_BANNED(atoll)
#undef gmtime
#define gmtime(t) CV_BANNED(gmtime)
#undef localtime
#define localtime(t) CV_BANNED(localtime)
#undef ctime
#define ctime(t) CV_BANNED(ctime)
#undef ctime_r
#define ctime_r(t, b) CV_BANNED(ctime_r)
#undef asctime
#define asctime(t) CV_BANNED(asctime)
#undef asctime_r
#define asctime_r(t, b) CV_BANNED(asctime_r)

#endif
