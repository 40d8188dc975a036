/* SPDX-License-Identifier: MIT */
/* mail_int.h: what the mail module's files share; no other module includes it. */
#ifndef CV_MAIL_INT_H
#define CV_MAIL_INT_H

#include <convene/mail.h>

/*
 * Hands one message to @t. A folder always "sends" (or fails with CV_EIO); an SMTP server
 * fills @res with how it went. @hold (may be NULL) runs before the message can be delivered (the
 * final dot, the file's write); when it returns < 0 nothing is delivered (CV_SMTP_HELD).
 * @return 0 with @res filled, CV_EINVAL (a bad address: nothing sent), CV_EIO or CV_ENOMEM
 */
int mail_transport_send(struct cv_transport *t, const char *message_id, const char *from,
                        const char *to, const char *data, size_t len, cv_smtp_hold_fn hold,
                        void *hold_data, struct cv_smtp_result *res, struct cv_error *err);

#endif
