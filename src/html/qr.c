/* SPDX-License-Identifier: MIT */
/* qr.c: QR codes of feed addresses as inline SVG (the only file that includes <qrencode.h>). */
#include <string.h>

#include <qrencode.h>

#include "html_int.h"

#include "banned.h"

#define QUIET 4 /* modules of white around the code, as ISO/IEC 18004 asks */

int html_qr_svg(struct cv_buf *out, const char *text, const char *what, const char *label)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr)
        return CV_EINVAL;
    int w = qr->width, size = w + 2 * QUIET;
    int rc = cv_buf_addf(out,
                         "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d "
                         "%d\" role=\"img\" aria-label=\"",
                         size, size);
    if (rc == 0)
        rc = cv_html_escape(out, what);
    if (rc == 0)
        rc = cv_buf_addstr(out, ": ");
    if (rc == 0)
        rc = cv_html_escape(out, label);
    if (rc == 0)
        rc = cv_buf_addf(out, "\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path d=\"", size,
                         size);
    /* One rectangle per run of dark modules in a row. */
    for (int y = 0; rc == 0 && y < w; y++) {
        for (int x = 0; rc == 0 && x < w;) {
            if (!(qr->data[y * w + x] & 1)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < w && (qr->data[y * w + x + run] & 1))
                run++;
            rc = cv_buf_addf(out, "M%d %dh%dv1h-%dz", x + QUIET, y + QUIET, run, run);
            x += run;
        }
    }
    if (rc == 0)
        rc = cv_buf_addstr(out, "\" fill=\"#000\"/></svg>");
    QRcode_free(qr);
    return rc;
}
