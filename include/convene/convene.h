/* SPDX-License-Identifier: MIT */
/* convene/convene.h: the whole public interface of libconvene. */
#ifndef CONVENE_CONVENE_H
#define CONVENE_CONVENE_H

#include <convene/error.h>
#include <convene/core.h>
#include <convene/util.h>
#include <convene/model.h>
#include <convene/store.h>
#include <convene/ical.h>
#include <convene/defaults.h>
#include <convene/load.h>
#include <convene/feed.h>
#include <convene/imip.h>
#include <convene/mail.h>
#include <convene/net.h>
#include <convene/sched.h>
#include <convene/html.h>
#include <convene/http.h>

#endif
