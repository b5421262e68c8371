using System.Text.Json;
using Microsoft.Playwright;
using Oriel.Gateway.Storage;
using Oriel.Gateway.Targets;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests.Harness;

/// <summary>
/// The terminal page (<c>#/terminal/&lt;id&gt;</c>) as a test drives it: waits on <c>#terminal[data-state]</c> and on the
/// emulator's text through <c>window.__oriel.terminal</c> (web/src/test-hooks.ts), and types through the keyboard.
/// </summary>
internal static class TerminalView
{
    public const float Timeout = 20_000;

    /// <summary>Stores an SSH target reaching <paramref name="sshd"/> as its test user, with that user's password in the vault.</summary>
    public static async Task AddSshTargetAsync(GatewayUnderTest gateway, string id, SshdServer sshd, IReadOnlyList<string>? logins = null, string label = "e2e")
    {
        var target = new TargetRecord(id, id, "127.0.0.1", sshd.Port, "test terminal " + id, new Dictionary<string, string> { ["env"] = label },
            sshd.User, null, new SshTargetSettings([], TrustOnFirstUse: true) { Logins = logins ?? [] }, Declared: false);
        await gateway.Get<TargetService>().SaveAsync(target, SshdServer.Password, "tests");
    }

    /// <summary>Waits until the session is connected and the shell has printed its prompt.</summary>
    public static async Task WaitForPromptAsync(IPage page)
    {
        await page.WaitForSelectorAsync("#terminal[data-state=\"connected\"]", new PageWaitForSelectorOptions { Timeout = Timeout });
        await WaitForLineAsync(page, @"[$#]\s*$");
    }

    /// <summary>Waits until a line of the active buffer matches <paramref name="pattern"/> (a JavaScript regular expression); returns it.</summary>
    public static async Task<string> WaitForLineAsync(IPage page, string pattern, float timeout = Timeout)
    {
        var handle = await page.WaitForFunctionAsync(
            "(re) => { const t = window.__oriel && window.__oriel.terminal; if (!t) return null; const r = new RegExp(re); return t.text().split('\\n').find((l) => r.test(l)) ?? null; }",
            pattern, new PageWaitForFunctionOptions { Timeout = timeout });
        return await handle.JsonValueAsync<string>();
    }

    /// <summary>The active buffer's text (scrollback included).</summary>
    public static Task<string> TextAsync(IPage page) => page.EvaluateAsync<string>("() => window.__oriel.terminal.text()");

    /// <summary><c>normal</c>, or <c>alternate</c> while a full-screen program runs.</summary>
    public static Task<string> BufferTypeAsync(IPage page) => page.EvaluateAsync<string>("() => window.__oriel.terminal.bufferType()");

    /// <summary>Types a line into the terminal (keyboard events into xterm's input) and presses Enter.</summary>
    public static async Task RunAsync(IPage page, string line)
    {
        await page.Keyboard.TypeAsync(line);
        await page.Keyboard.PressAsync("Enter");
    }

    /// <summary>The page point at the middle of the cell at viewport <paramref name="row"/>, <paramref name="col"/>.</summary>
    public static async Task<(float X, float Y)> CellCenterAsync(IPage page, int row, int col)
    {
        var json = await page.EvaluateAsync<JsonElement>(
            @"([row, col]) => {
                const screen = document.querySelector('#terminal-screen .xterm-screen');
                const box = screen.getBoundingClientRect();
                const size = window.__oriel.terminal.size();
                const w = box.width / size.cols, h = box.height / size.rows;
                return { x: box.left + (col + 0.5) * w, y: box.top + (row + 0.5) * h };
            }",
            new[] { row, col });
        return ((float)json.GetProperty("x").GetDouble(), (float)json.GetProperty("y").GetDouble());
    }

    /// <summary>Where <paramref name="text"/> is on screen (viewport row and column), or null.</summary>
    public static async Task<(int Row, int Col)?> FindAsync(IPage page, string text)
    {
        var json = await page.EvaluateAsync<JsonElement>("(t) => window.__oriel.terminal.find(t)", text);
        return json.ValueKind == JsonValueKind.Null ? null : (json.GetProperty("row").GetInt32(), json.GetProperty("col").GetInt32());
    }
}
