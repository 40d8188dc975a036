/* SPDX-License-Identifier: MIT */
/* html_int.h: what the html module's files share; no other module includes it. */
#ifndef CV_HTML_INT_H
#define CV_HTML_INT_H

#include <convene/html.h>

/*
 * Appends an inline SVG QR code (ECC level M) of @text, labelled "@what: @label" for screen
 * readers (@what: "QR code" in the page's language). @return 0, CV_EINVAL (too long for a QR
 * code) or CV_ENOMEM
 */
int html_qr_svg(struct cv_buf *out, const char *text, const char *what, const char *label);

#endif
