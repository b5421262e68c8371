using System.Net.WebSockets;
using System.Text;

namespace Oriel.Gateway.Tests;

/// <summary>
/// A websockify-style RFB viewer on the passthrough channel (<c>/api/sessions/{id}/rfb</c>, docs/passthrough.md):
/// the gateway's None handshake, ClientInit, ServerInit, optionally a SetEncodings, then one full update request
/// answered in Raw by a <see cref="TestPeers.ScriptedVncServer"/> (32 bpp), then a normal close.
/// </summary>
internal static class RawPassthroughViewer
{
    public static async Task RunAsync(TestGateway gw, ApiClient client, string targetId, byte[]? setEncodings = null)
    {
        using var ws = new ClientWebSocket();
        ws.Options.SetRequestHeader("Origin", gw.BaseAddress.GetLeftPart(UriPartial.Authority));
        ws.Options.Cookies = client.Cookies;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await ws.ConnectAsync(new Uri($"ws://{gw.BaseAddress.Authority}/api/sessions/{targetId}/rfb"), timeout.Token);
        var pending = new List<byte>();

        async Task<byte[]> ReadAsync(int count)
        {
            var buffer = new byte[64 * 1024];
            while (pending.Count < count)
            {
                var r = await ws.ReceiveAsync(buffer, timeout.Token);
                Assert.NotEqual(WebSocketMessageType.Close, r.MessageType);
                pending.AddRange(buffer.AsSpan(0, r.Count));
            }

            var result = pending.Take(count).ToArray();
            pending.RemoveRange(0, count);
            return result;
        }

        Task SendAsync(byte[] bytes) => ws.SendAsync(bytes, WebSocketMessageType.Binary, true, timeout.Token);

        Assert.Equal("RFB 003.008\n", Encoding.ASCII.GetString(await ReadAsync(12)));
        await SendAsync(Encoding.ASCII.GetBytes("RFB 003.008\n"));
        Assert.Equal([1, 1], await ReadAsync(2)); // one security type: None
        await SendAsync([1]);
        Assert.Equal([0, 0, 0, 0], await ReadAsync(4)); // SecurityResult OK
        await SendAsync([1]); // ClientInit, shared
        var init = await ReadAsync(24);
        var width = (init[0] << 8) | init[1];
        var height = (init[2] << 8) | init[3];
        var nameLength = (init[20] << 24) | (init[21] << 16) | (init[22] << 8) | init[23];
        await ReadAsync(nameLength);
        if (setEncodings is not null)
        {
            await SendAsync(setEncodings);
        }

        // FramebufferUpdateRequest (7.5.3), not incremental, the whole screen; the server answers in Raw at 32 bpp.
        await SendAsync([3, 0, 0, 0, 0, 0, (byte)(width >> 8), (byte)width, (byte)(height >> 8), (byte)height]);
        await ReadAsync(4 + 12 + (width * height * 4));
        await ws.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
    }
}
