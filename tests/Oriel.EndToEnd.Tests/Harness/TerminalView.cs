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
        try
        {
            var handle = await page.WaitForFunctionAsync(
                "(re) => { const t = window.__oriel && window.__oriel.terminal; if (!t) return null; const r = new RegExp(re); return t.text().split('\\n').find((l) => r.test(l)) ?? null; }",
                pattern, new PageWaitForFunctionOptions { Timeout = timeout });
            return await handle.JsonValueAsync<string>();
        }
        catch (TimeoutException e)
        {
            var text = await page.EvaluateAsync<string?>("() => window.__oriel && window.__oriel.terminal ? window.__oriel.terminal.text() : null");
            var lines = (text ?? "(no terminal)").Split('\n');
            throw new TimeoutException($"no terminal line matched /{pattern}/; the last lines:\n{string.Join('\n', lines.TakeLast(30))}", e);
        }
    }

    /// <summary>
    /// Waits until the size last sent to the gateway (<c>data-size</c>) differs from <paramref name="previous"/> and is the
    /// emulator's size now (resizes are debounced: a first change may not be the last); returns it as "COLSxROWS".
    /// </summary>
    public static async Task<string> WaitForNewSizeAsync(IPage page, string? previous)
    {
        var handle = await page.WaitForFunctionAsync(
            "(old) => { const d = document.querySelector('#terminal').dataset.size; const s = window.__oriel.terminal.size(); return d !== old && d === `${s.cols}x${s.rows}` ? d : null; }",
            previous, new PageWaitForFunctionOptions { Timeout = Timeout });
        return await handle.JsonValueAsync<string>();
    }

    /// <summary>Waits until the system clipboard (as the page reads it) holds <paramref name="expected"/>.</summary>
    public static async Task WaitForClipboardAsync(IPage page, string expected)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(Timeout);
        var text = "";
        while (DateTime.UtcNow < deadline)
        {
            text = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
            if (text == expected) return;
            await Task.Delay(100);
        }
        var selection = await page.EvaluateAsync<string>("() => window.__oriel.terminal.selection()");
        throw new TimeoutException($"the clipboard holds '{text}', not '{expected}' (the terminal's selection: '{selection}')");
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
