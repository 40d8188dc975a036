#!/bin/sh
# SPDX-License-Identifier: MIT
# cli_plan.sh: convene plan on the shipped programme: where each event goes and why, what an
# impossible plan says, and what --apply writes.
. "$(dirname "$0")/lib.sh"

run "$C" init
run "$C" people import "$SRC/calendars/sample-delegates.csv"
before=$(db_hash)

run "$C" plan --explain
expect_rc 0 "plan --explain"
expect_out "plan: 2 events placed, 3 kept (confirmed or held); cost 0, 0 hard violations, proven optimal" "the summary line"
expect_out "middle-east-regional-meeting   2024-02-06..2024-02-07  Amman, JO" "the Middle East meeting is placed"
expect_out "unga79-leaders-event           2024-09-24..2024-09-24  New York, US" "the leaders' event is placed"
expect_out "    - the weekend in Jordan (fri,sat): 41 days" "Jordan's Friday-Saturday weekend is named"
expect_out "    - 11 March 2024 to 9 April 2024: Ramadan 1445 (the host asks to stay out of it): 21 days" "Ramadan is named"
expect_out "    - 2 May 2024: Labour Day holiday in Jordan: 1 day" "a host holiday is named"
expect_out "    - the weekend in the United States (sat,sun): 2 days" "the US weekend is named"
expect_out "  runner-up: 25 September 2024 (cost 0), lost on: nothing: an equal score, and the earlier date wins the tie" "the runner-up"
[ "$(db_hash)" = "$before" ] && ok || fail "plan without --apply writes nothing"

# The placed days obey every rule the issue names, whatever the tie-breaks.
start=$(printf '%s\n' "$out" | sed -n 's/^unga79-leaders-event  *\(2024-09-2[4-9]\|2024-09-30\)\.\..*/\1/p')
[ -n "$start" ] && ok || fail "the leaders' event falls inside 24-30 September 2024"
me=$(printf '%s\n' "$out" | sed -n 's/^middle-east-regional-meeting  *\([0-9-]*\)\.\.\([0-9-]*\) .*/\1 \2/p')
set -- $me
for d in "$1" "$2"; do
    wd=$(date -u -d "$d" +%u)
    [ "$wd" -ne 5 ] && [ "$wd" -ne 6 ] && ok || fail "$d falls on Jordan's weekend"
    case "$d" in 2024-03-1[1-9] | 2024-03-[23]? | 2024-04-0?) fail "$d is in Ramadan 2024" ;; *) ok ;; esac
    sqlite3 "$CONVENE_DB" "SELECT count(*) FROM refcal_entry e JOIN refcal c ON c.id = e.refcal_id
        WHERE c.key = 'holidays-jo' AND '$d' BETWEEN e.first_date AND e.last_date" | grep -qx 0 &&
        ok || fail "$d is a Jordanian holiday"
done

# Same input, same seed: the same plan.
run "$C" plan --seed 7
first=$out
run "$C" plan --seed 7
[ "$out" = "$first" ] && ok || fail "the same seed gives the same plan"

# What-if: every event in its window, beside what happened.
run "$C" plan --all
expect_rc 0 "plan --all"
expect_out "africa-regional-meeting" "the what-if plans the Africa meeting"
expect_out "held 2025-03-25..2025-03-27" "beside the dates it was held"
run "$C" plan --all --apply
expect_rc 64 "a what-if cannot be applied"

# Infeasible: a window shorter than the event, and a window whose only days are holidays.
run "$C" event set middle-east-regional-meeting --window 2024-03-14..2024-03-16
run "$C" plan
expect_rc 65 "an impossible plan"
expect_out "no plan satisfies every hard constraint; these conflict (remove or relax one of them):" "the conflict is announced"
expect_out "  - the window of middle-east-regional-meeting: 14 March 2024 to 16 March 2024, for 2 days" "the window is in the conflict"
expect_out "  - 11 March 2024 to 9 April 2024: Ramadan 1445 (the host asks to stay out of it)" "Ramadan is in the conflict"
expect_one_line "infeasible plan"
expect_err "the plan is infeasible: 2 constraints conflict; see above" "the error line"
# The search for the smallest set shares the limit (--nodes: a budget in search nodes, the same
# on any machine): cut short, it names the set narrowed so far, in the same words, says it may
# not be the smallest, and still exits 65 (the plan is proven impossible).
run "$C" plan --nodes 30
expect_rc 65 "an impossible plan, the conflict's search cut short"
expect_out "no plan satisfies every hard constraint; these conflict (remove or relax one of them):" "the cut-short conflict is announced alike"
expect_out "  - the window of middle-east-regional-meeting: 14 March 2024 to 16 March 2024, for 2 days" "the window is in the cut-short conflict"
expect_out "  - 11 March 2024 to 9 April 2024: Ramadan 1445 (the host asks to stay out of it)" "Ramadan is in the cut-short conflict"
expect_out "before this set was proven the smallest: these constraints conflict, but fewer of them may; raise --time-limit to narrow it" "the set may not be the smallest"
expect_one_line "cut-short conflict"
expect_err "constraints conflict (perhaps not the smallest set); see above" "the error line says so too"
run "$C" plan --nodes 100000
expect_rc 65 "with the budget to narrow it"
expect_err "the plan is infeasible: 2 constraints conflict; see above" "the smallest set again"
case "$out" in *"fewer of them may"*) fail "a proven smallest set is not doubted: $out" ;; *) ok ;; esac
run "$C" event set middle-east-regional-meeting --window 2024-02-05..2024-06-28
run "$C" event add labour-day-2024 --title "On Labour Day" --city Nairobi --country KE --tz Africa/Nairobi --window 2024-05-01..2024-05-01
run "$C" plan
expect_rc 65 "an event whose only day is a holiday"
expect_out "  - 1 May 2024: Labour Day in Kenya" "the holiday is named in words"
run "$C" event add no-window --title X --city Nairobi --country KE --tz Africa/Nairobi
run "$C" event cancel labour-day-2024
run "$C" plan
expect_rc 65 "an event without a window"
expect_err "event no-window has no window to plan in; give it one with 'convene event set no-window --window DATE..DATE'" "the missing window is named"
run "$C" event cancel no-window

# No plan found within the limit: exit 75, not "infeasible", and nothing written even with
# --apply. Two nodes cannot place the two events to plan (each takes one, after the root).
dump_before=$(sqlite3 "$CONVENE_DB" .dump)
run "$C" plan --apply --nodes 2
expect_rc 75 "no plan within the limit"
expect_one_line "no plan within the limit"
expect_err "convene: error: no plan found within the limit (2 search nodes): the constraints may still be satisfiable; raise --time-limit or relax a hard constraint" "the limit is named, not infeasibility"
[ -z "$out" ] && ok || fail "no plan within the limit prints no plan: $out"
[ "$(sqlite3 "$CONVENE_DB" .dump)" = "$dump_before" ] && ok || fail "no plan within the limit writes nothing"
run "$C" plan --nodes x
expect_rc 64 "--nodes takes a number"
run "$C" plan middle-east-regional-meeting --timetable --nodes 5
expect_rc 64 "--nodes is for the dates"

# --apply: tentative dates, SEQUENCE raised once; a second apply changes nothing.
run "$C" plan --apply
expect_rc 0 "plan --apply"
expect_out "applied middle-east-regional-meeting: 2024-02-06..2024-02-07, tentative, SEQUENCE" "the Middle East meeting is applied"
expect_out "applied unga79-leaders-event: 2024-09-24..2024-09-24, tentative, SEQUENCE 0 -> 1" "the leaders' event is applied"
run "$C" event show unga79-leaders-event
expect_out "dates         2024-09-24..2024-09-24" "the dates are stored"
expect_out "status        tentative" "as tentative"
after=$(db_hash)
run "$C" plan --apply
expect_out "the stored dates already match the plan: nothing changed" "a second apply changes nothing"
[ "$(db_hash)" = "$after" ] && ok || fail "a second apply leaves the database as it was"

# The placed events now reach the feeds, and the office's feed gets their milestones.
run "$C" people token cochair-office@example.org
run "$C" publish --out "$T/feeds"
expect_rc 0 "publish after apply"
grep -q "^DTSTART;VALUE=DATE:20240924" "$T/feeds/programme.ics" && ok || fail "the leaders' event is in the programme feed"
grep -q "^BEGIN:VTODO" "$T"/feeds/private/*.ics && ok || fail "the office's feed has milestones"
grep -q "^DUE;VALUE=DATE:20240527" "$T"/feeds/private/*.ics && ok || fail "invitations due 120 days before the leaders' event (27 May 2024)"

finish
