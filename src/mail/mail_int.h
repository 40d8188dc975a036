/* SPDX-License-Identifier: MIT */
/* mail_int.h: what the mail module's files share; no other module includes it. */
#ifndef CV_MAIL_INT_H
#define CV_MAIL_INT_H

#include <convene/mail.h>

#endif
