/* SPDX-License-Identifier: MIT */
/* header_test_main.c: the program the stand-alone header files are linked into. */
int main(void)
{
    return 0;
}
