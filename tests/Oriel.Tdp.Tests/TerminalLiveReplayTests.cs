using System.Text;
using CsCheck;
using Oriel.Tdp;

namespace Oriel.Tdp.Tests;

/// <summary>
/// <see cref="TerminalScreenReplay"/>: what a live-view watcher of a terminal is sent first. It keeps the output since the
/// last full-screen reset (RIS, erase display, home and erase, the alternate screen's switches), with the modes in force
/// there; it is capped, keeping the tail; and escape sequences split across messages at any byte act as whole ones.
/// </summary>
public sealed class TerminalLiveReplayTests
{
    private static string Replay(params string[] chunks)
    {
        var replay = new TerminalScreenReplay();
        foreach (var chunk in chunks)
        {
            replay.Append(Encoding.UTF8.GetBytes(chunk));
        }
        return Encoding.UTF8.GetString(replay.ToArray());
    }

    [Fact]
    public void Plain_output_is_kept_as_it_came()
    {
        Assert.Equal("$ ls\r\nfile  öl\r\n$ ", Replay("$ ls\r\n", "file  öl\r\n$ "));
    }

    [Theory]
    [InlineData("old\e[2Jnew", "\e[2Jnew")]
    [InlineData("old\e[H\e[2Jnew", "\e[2Jnew")]
    [InlineData("old\e[H\e[Jnew", "\e[H\e[Jnew")]
    [InlineData("old\e[1;1H\e[0Jnew", "\e[H\e[Jnew")]
    [InlineData("old\e[;H\e[Jnew", "\e[H\e[Jnew")]
    [InlineData("old\ecnew", "\ecnew")]
    [InlineData("a\e[2Jb\e[2Jc", "\e[2Jc")]
    public void A_full_screen_reset_drops_what_came_before(string output, string replay)
    {
        Assert.Equal(replay, Replay(output));
    }

    [Theory]
    [InlineData("old\e[3Jnew")] // the scrollback only
    [InlineData("old\e[Jnew")] // from the cursor, which is not home
    [InlineData("old\e[5;1H\e[Jnew")]
    [InlineData("old\e[Hx\e[Jnew")] // something was written at home first
    [InlineData("old\e[1Jnew")]
    [InlineData("old\e[?2Jnew")] // selective erase
    [InlineData("old\e[2\u0018Jnew")] // CAN abandons the sequence
    [InlineData("old\e[2 Jnew")] // an intermediate byte makes it another sequence
    [InlineData("old\e]0;\e[2J\u0007new")] // inside a title the ESC ends the string: this one is a reset
    public void Other_sequences_are_output_like_any_other(string output)
    {
        var expected = output.Contains("\e]0;", StringComparison.Ordinal) ? "\e[2J\u0007new" : output;
        Assert.Equal(expected, Replay(output));
    }

    [Fact]
    public void A_control_sequence_with_too_many_parameter_bytes_is_not_acted_on()
    {
        var output = "old\e[" + new string('2', 40) + "Jnew";
        Assert.Equal(output, Replay(output));
    }

    [Fact]
    public void The_alternate_screen_keeps_the_normal_screen_for_when_the_program_switches_back()
    {
        var replay = new TerminalScreenReplay();
        void Feed(string s) => replay.Append(Encoding.UTF8.GetBytes(s));
        string Now() => Encoding.UTF8.GetString(replay.ToArray());

        Feed("$ vim\r\n\e[?1049h\e[22;0;0t\e[H\e[2Jfirst");
        Assert.True(replay.AlternateScreen);
        Assert.Equal("$ vim\r\n\e[?1049h\e[2Jfirst", Now());
        Feed("\e[H\e[2Jredrawn");
        Assert.Equal("$ vim\r\n\e[?1049h\e[2Jredrawn", Now());
        Feed("\e[?1049l\e[23;0;0t$ ");
        Assert.False(replay.AlternateScreen);
        Assert.Equal("$ vim\r\n\e[23;0;0t$ ", Now());

        Feed("\e[?1049lmore"); // leaving a screen it is not on changes nothing
        Assert.Equal("$ vim\r\n\e[23;0;0t$ \e[?1049lmore", Now());
        Feed("\e[?47hold xterm\e[?47l");
        Assert.Equal("$ vim\r\n\e[23;0;0t$ \e[?1049lmore", Now());
        Feed("\e[?1049hx\e[?1049hy"); // entering it twice: still one screen
        Assert.Equal("$ vim\r\n\e[23;0;0t$ \e[?1049lmore\e[?1049hx\e[?1049hy", Now());
        Feed("\ec$ ");
        Assert.False(replay.AlternateScreen);
        Assert.Equal("\ec$ ", Now());
    }

    [Fact]
    public void The_private_modes_in_force_where_a_screen_begins_are_written_before_it()
    {
        Assert.Equal("\e[?25l\e[?7l\e[2Jtop", Replay("\e[?25lstart\e[?7l\e[?25h\e[?25l\e[2Jtop"));
        Assert.Equal("\e[?25l\e[2Jtop\e[?25h", Replay("\e[?25l\e[2Jtop\e[?25h"));
        // On the alternate screen: the normal screen's, then the switch, then those in force there.
        Assert.Equal("\e[?1h\e[2J$ \e[?1049h\e[?1h\e[?2004h\e[2Jvim",
            Replay("\e[?1h\e[2J$ ", "\e[?1049h\e[?2004hx\e[2Jvim"));
        // A switch among other modes in one sequence: the others are kept, in order.
        Assert.Equal("a\e[?1049h\e[?25hb", Replay("a\e[?1049;25hb"));
        // A full reset forgets them.
        Assert.Equal("\ecx", Replay("\e[?25l\ecx"));
    }

    public static TheoryData<string> Streams =>
    [
        "$ vim\r\n\e[?1049h\e[H\e[2Jvim screen\e[?25l\e[10;5Hé€😀\e[?1049l$ ",
        "old\e[H\e[Jnew\e]0;title\u0007\e[2Jnewer\ecreset\e[?25l\e[3Jkept",
        "\e[?1049;25h\e[2Jalt\e[?1049;25l\e[Hx\e[J\e[H\e[Jhome",
    ];

    [Theory]
    [MemberData(nameof(Streams))]
    public void Output_split_at_any_byte_gives_the_replay_of_the_whole(string stream)
    {
        var bytes = Encoding.UTF8.GetBytes(stream);
        var whole = new TerminalScreenReplay();
        whole.Append(bytes);
        var expected = whole.ToArray();
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var split = new TerminalScreenReplay();
            split.Append(bytes.AsSpan(0, cut));
            split.Append(bytes.AsSpan(cut));
            Assert.Equal(expected, split.ToArray());
        }
        var byByte = new TerminalScreenReplay();
        foreach (var b in bytes)
        {
            byByte.Append([b]);
        }
        Assert.Equal(expected, byByte.ToArray());
    }

    [Fact]
    public void Each_screen_is_capped_keeping_its_tail_until_a_reset()
    {
        var replay = new TerminalScreenReplay(capacity: 100);
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 300).Select(i => (char)('a' + (i % 26)))));
        for (var at = 0; at < text.Length; at += 7)
        {
            replay.Append(text.AsSpan(at, Math.Min(7, text.Length - at)));
        }
        Assert.True(replay.Truncated);
        Assert.Equal(text[^100..], replay.ToArray());

        replay.Append(new byte[250]); // one append over the cap keeps its own tail
        Assert.Equal(100, replay.Length);

        replay.Append("\e[2Jfresh"u8);
        Assert.False(replay.Truncated);
        Assert.Equal("\e[2Jfresh"u8.ToArray(), replay.ToArray());

        // The alternate screen has its own cap; the normal screen waits, whole, behind it.
        replay.Append("\e[?1049h"u8);
        replay.Append(text);
        Assert.True(replay.Truncated);
        Assert.Equal([.. "\e[2Jfresh\e[?1049h"u8, .. text[^100..]], replay.ToArray());
        replay.Append("\e[?1049l"u8);
        Assert.False(replay.Truncated);
        Assert.Equal("\e[2Jfresh"u8.ToArray(), replay.ToArray());
    }

    [Fact]
    public void A_switch_split_across_messages_on_a_full_screen_keeps_the_screen_it_left_whole()
    {
        var text = Encoding.ASCII.GetBytes(new string('t', 60) + "0123");
        var replay = new TerminalScreenReplay(capacity: 64);
        replay.Append(text);
        replay.Append("\e[?10"u8); // held back, not pushed into the full ring
        Assert.Equal([.. text, .. "\e[?10"u8], replay.ToArray()); // a watcher joining now gets the start; the next output continues it
        replay.Append("49hvim"u8);
        Assert.Equal([.. text, .. "\e[?1049hvim"u8], replay.ToArray());
    }

    /// <summary>Bytes that make up the sequences the replay acts on, and some that break them.</summary>
    private static readonly Gen<byte[]> s_terminalBytes = Gen.OneOf(
        Gen.Const("\e"u8.ToArray()), Gen.Const("["u8.ToArray()), Gen.Const("?"u8.ToArray()), Gen.Const("1049"u8.ToArray()),
        Gen.Const("47"u8.ToArray()), Gen.Const("25"u8.ToArray()), Gen.Const(";"u8.ToArray()), Gen.Const("h"u8.ToArray()),
        Gen.Const("l"u8.ToArray()), Gen.Const("2J"u8.ToArray()), Gen.Const("J"u8.ToArray()), Gen.Const("H"u8.ToArray()),
        Gen.Const("c"u8.ToArray()), Gen.Const("\u0018"u8.ToArray()), Gen.Const(" "u8.ToArray()), Gen.Byte.Array[1, 8])
        .Array[0, 60].Select(parts => parts.SelectMany(p => p).ToArray());

    [Fact]
    public void Any_output_split_anywhere_gives_the_same_bounded_replay()
    {
        Gen.Select(s_terminalBytes, Gen.Int[0, 1000], Gen.Int[64, 200]).Sample((bytes, cutAt, capacity) =>
        {
            var whole = new TerminalScreenReplay(capacity);
            whole.Append(bytes);
            var split = new TerminalScreenReplay(capacity);
            var cut = bytes.Length == 0 ? 0 : cutAt % (bytes.Length + 1);
            split.Append(bytes.AsSpan(0, cut));
            split.Append(bytes.AsSpan(cut));
            Assert.Equal(whole.ToArray(), split.ToArray());
            // Each screen's bytes are capped; what is written before them (modes, the switch) is small.
            Assert.True(whole.Length <= 2 * capacity + 2 * 64 * 12 + 16, $"replay of {whole.Length} bytes");
            return true;
        });
    }

    [Fact]
    public void A_destination_shorter_than_the_replay_is_refused()
    {
        var replay = new TerminalScreenReplay();
        replay.Append("hello"u8);
        Assert.Throws<ArgumentException>(() => replay.CopyTo(new byte[4]));
    }
}
