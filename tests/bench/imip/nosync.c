/* SPDX-License-Identifier: MIT */
/* nosync.c: for the outbox benchmark only, preloaded into one of its convene runs: fsync and
 * fdatasync return at once without syncing. That run is not durable; it measures what the
 * sending costs without the disk's syncs, so that the table shows how much of the gap to
 * smtp-source the sync of each `sent` mark is. */
int fsync(int fd);
int fdatasync(int fd);

int fsync(int fd)
{
    (void)fd;
    return 0;
}

int fdatasync(int fd)
{
    (void)fd;
    return 0;
}
