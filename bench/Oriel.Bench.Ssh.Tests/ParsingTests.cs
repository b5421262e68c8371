using System.Text;
using Oriel.Bench.Ssh;

namespace Oriel.Bench.Ssh.Tests;

public class ParsingTests
{
    [Fact]
    public void Stat_line_gives_parent_and_user_plus_system_ticks_even_with_spaces_and_parentheses_in_the_name()
    {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
        const string stat = "4242 (sshd: tester (x)) S 17 4242 4242 0 -1 4194560 500 0 0 0 123 45 7 8 20 0 1 0 100 1000 200";

        var parsed = ProcFs.ParseStat(stat);

        Assert.Equal((17, 168L), parsed);
    }

    [Fact]
    public void Malformed_stat_gives_null()
    {
        Assert.Null(ProcFs.ParseStat("no parenthesis here"));
        Assert.Null(ProcFs.ParseStat("1 (x) S 0 1"));
    }

    [Fact]
    public void Status_gives_rss_peak_and_threads()
    {
        const string status = "Name:\tdotnet\nVmPeak:\t 3000000 kB\nVmHWM:\t  250000 kB\nVmRSS:\t  180000 kB\nThreads:\t27\n";

        Assert.Equal(new ProcStatus(180_000, 250_000, 27), ProcFs.ParseStatus(status));
    }

    [Fact]
    public void Status_of_a_kernel_thread_without_memory_is_refused()
    {
        Assert.Throws<InvalidOperationException>(() => ProcFs.ParseStatus("Name:\tkthreadd\nThreads:\t1\n"));
    }

    [Fact]
    public void Kib_field_is_read_from_the_start_of_its_line_only()
    {
        const string rollup = "55d0-7ffd ---p 00000000 00:00 0 [rollup]\nRss:\t  9000 kB\nPss:\t  2500 kB\nPss_Anon:\t 1000 kB\n";

        Assert.Equal(2500, ProcFs.ParseKibField(rollup, "Pss:"));
        Assert.Null(ProcFs.ParseKibField(rollup, "Swap:"));
    }

    [Fact]
    public void Bash_times_output_gives_the_childrens_user_plus_system_seconds()
    {
        Assert.Equal(75.5, OpenSshClient.ParseChildrenCpu("0m0.003s 0m0.001s\n1m10.250s 0m5.250s\n")!.Value, 9);
        Assert.Null(OpenSshClient.ParseChildrenCpu("0m0.003s 0m0.001s\n"));
        Assert.Null(OpenSshClient.ParseChildrenCpu("0m0.003s 0m0.001s\nnot times\n"));
    }

    [Theory]
    [InlineData("tester@host:~$ ", true)]
    [InlineData("\u001b]0;tester@host: ~\u0007\u001b[01;32mtester@host\u001b[00m:\u001b[01;34m~\u001b[00m$ ", true)]
    [InlineData("root@host:/# ", true)]
    [InlineData("tester@host:~$ \u001b[?2004h", true)]
    [InlineData("tester@host:~$ ls\r\n", false)]
    [InlineData("Password: ", false)]
    public void Prompt_is_found_after_colour_and_mode_sequences(string tail, bool prompt)
    {
        Assert.Equal(prompt, TerminalClient.EndsWithPrompt(Encoding.UTF8.GetBytes(tail)));
    }

    [Fact]
    public void Runs_alternate_sides_round_by_round()
    {
        var o = SshBenchOptions.Parse(["--repo", "/tmp", "--repeats", "2"]);

        Assert.Equal(["ssh", "oriel", "ssh", "oriel"], o.RunOrder());
        Assert.Equal(["oriel", "oriel", "oriel"], SshBenchOptions.Parse(["--repo", "/tmp", "--sides", "oriel"]).RunOrder()); // default 3 rounds
        Assert.Empty(SshBenchOptions.Parse(["--repo", "/tmp", "--only", "idle"]).RunOrder());
        Assert.Null(SshBenchOptions.Parse(["--repo", "/tmp", "--cipher", "default"]).Cipher);
        Assert.Throws<ArgumentException>(() => SshBenchOptions.Parse(["--repo", "/tmp", "--sides", "telnet"]));
    }

    [Fact]
    public void Gateway_environment_takes_name_equals_value_repeatedly()
    {
        var o = SshBenchOptions.Parse(["--repo", "/tmp", "--gateway-env", "A=1", "--gateway-env", "B=x=y"]);

        Assert.Equal("1", o.GatewayEnvironment["A"]);
        Assert.Equal("x=y", o.GatewayEnvironment["B"]);
        Assert.Throws<ArgumentException>(() => SshBenchOptions.Parse(["--repo", "/tmp", "--gateway-env", "=1"]));
    }
}
