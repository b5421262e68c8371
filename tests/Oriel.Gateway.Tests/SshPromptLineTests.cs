using System.Buffers;
using System.Text;
using Oriel.Gateway.Ssh;

namespace Oriel.Gateway.Tests;

/// <summary>An answer typed at a terminal prompt: line editing, echo, cancel, escape sequences, UTF-8 across messages.</summary>
public sealed class SshPromptLineTests
{
    [Fact]
    public void EnterEndsTheAnswer_AndWhatFollowsIsLeftForTheNextReader()
    {
        var line = new SshPromptLine(echo: true);
        var echo = new ArrayBufferWriter<byte>();

        var used = line.Feed("abc\r\nrest"u8, echo);

        Assert.Equal((SshPromptLineStatus.Done, "abc", 5), (line.Status, line.Text, used));
        Assert.Equal("abc", Encoding.UTF8.GetString(echo.WrittenSpan));
    }

    [Fact]
    public void BackspaceAndDelRemoveTheLastCharacter_AndRubItOutWhenEchoed()
    {
        var line = new SshPromptLine(echo: true);
        var echo = new ArrayBufferWriter<byte>();

        line.Feed("abx\x7f"u8, echo);
        line.Feed("c\by\b\b\b\bd\n"u8, echo);

        Assert.Equal((SshPromptLineStatus.Done, "d"), (line.Status, line.Text));
        Assert.Equal("abx\b \bc\b \by\b \b\b \b\b \bd", Encoding.UTF8.GetString(echo.WrittenSpan));
    }

    [Fact]
    public void AnUnechoedAnswerShowsNothing_AndEscapeSequencesAndControlCharactersAreIgnored()
    {
        var line = new SshPromptLine(echo: false);
        var echo = new ArrayBufferWriter<byte>();

        // Left arrow (CSI D), F1 (SS3 P), a bracketed paste around "pw", a tab, then Enter.
        line.Feed("s\x1b[D\x1bOPe\x1b[200~pw\x1b[201~\t\x7f\x7fw\r"u8, echo);

        Assert.Equal((SshPromptLineStatus.Done, "sew"), (line.Status, line.Text));
        Assert.Equal(0, echo.WrittenCount);
    }

    [Theory]
    [InlineData((byte)0x03)]
    [InlineData((byte)0x04)]
    public void CtrlCAndCtrlDCancel(byte control)
    {
        var line = new SshPromptLine(echo: true);

        var used = line.Feed([(byte)'a', control, (byte)'b'], new ArrayBufferWriter<byte>());

        Assert.Equal((SshPromptLineStatus.Cancelled, 2), (line.Status, used));
    }

    [Fact]
    public void Utf8SplitAcrossMessagesIsOneCharacter_AndBackspaceRemovesAWholeSurrogatePair()
    {
        var line = new SshPromptLine(echo: true);
        var echo = new ArrayBufferWriter<byte>();
        var text = Encoding.UTF8.GetBytes("é😀");

        line.Feed(text.AsSpan(0, 1), echo);
        line.Feed(text.AsSpan(1, 3), echo);
        line.Feed(text.AsSpan(4), echo);
        Assert.Equal("é😀", line.Text);
        Assert.Equal(text, echo.WrittenSpan.ToArray());

        line.Feed("\x7f\r"u8, echo);
        Assert.Equal((SshPromptLineStatus.Done, "é"), (line.Status, line.Text));
    }

    [Fact]
    public void AnAnswerStopsGrowingAtItsCap()
    {
        var line = new SshPromptLine(echo: false);

        line.Feed(Encoding.ASCII.GetBytes(new string('x', SshPromptLine.MaxCharacters + 100) + "\r"), new ArrayBufferWriter<byte>());

        Assert.Equal((SshPromptLineStatus.Done, SshPromptLine.MaxCharacters), (line.Status, line.Text.Length));
    }
}
