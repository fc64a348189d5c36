/* The subcommands; main.c dispatches to them. */
#ifndef CMD_H
#define CMD_H

int cmd_show(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_diagnose(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_pcap(int argc, char **argv);
int cmd_mss(int argc, char **argv);
int cmd_inputs(int argc, char **argv);
int cmd_redact(int argc, char **argv);
int cmd_compare(int argc, char **argv);

#endif
