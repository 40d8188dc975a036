/* SPDX-License-Identifier: MIT */
/* cmd_room.c: `convene room add|list`: the rooms of an event's venue. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

#include "banned.h"

static const char usage_text[] = "usage: convene room add EVENT NAME --capacity N\n"
                                 "       convene room list EVENT\n\n"
                                 "The rooms of an event's venue, for its timetable (convene plan "
                                 "EVENT --timetable).\nAdding a room of the same name changes "
                                 "its capacity.\n";

int cmd_room(int argc, char **argv, struct cli *cli)
{
    struct cv_store *st = NULL;
    struct cv_error err;
    int rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    cv_error_init(&err);
    if (strcmp(argv[1], "add") == 0) {
        struct cv_room room;
        long cap;
        if (argc != 6 || strcmp(argv[4], "--capacity") != 0 ||
            cv_parse_long(argv[5], 1, 1000000, &cap) < 0)
            return cli_usage_error("room", "'room add' takes EVENT NAME --capacity N");
        cv_room_init(&room);
        room.event_key = argv[2];
        room.name = argv[3];
        room.capacity = (int)cap;
        if ((rc = cli_open_store(cli, 0, &st)))
            return rc;
        rc = cv_store_begin(st, &err);
        if (rc == 0)
            rc = cv_store_room_put(st, &room, &err);
        if (rc == 0)
            rc = cv_store_commit(st, &err);
        if (rc < 0) {
            cv_store_rollback(st);
            rc = cli_fail(&err);
        } else {
            printf("room %s of %s: %d seats\n", room.name, room.event_key, room.capacity);
        }
        cv_store_free(st);
        return rc;
    }
    if (strcmp(argv[1], "list") == 0) {
        struct cv_room_list rooms;
        if (argc != 3)
            return cli_usage_error("room", "'room list' takes an EVENT");
        if ((rc = cli_open_store(cli, CV_STORE_READONLY, &st)))
            return rc;
        cv_room_list_init(&rooms);
        rc = cv_store_room_list(st, argv[2], &rooms, &err);
        if (rc < 0)
            rc = cli_fail(&err);
        for (size_t i = 0; rc == 0 && i < rooms.n; i++)
            printf("%-40s %6d\n", rooms.v[i].name, rooms.v[i].capacity);
        cv_room_list_release(&rooms);
        cv_store_free(st);
        return rc;
    }
    return cli_usage_error("room", "unknown subcommand '%s'", argv[1]);
}
