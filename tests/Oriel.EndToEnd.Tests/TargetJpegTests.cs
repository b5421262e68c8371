using Oriel.EndToEnd.Tests.Harness;
using Oriel.TestPeers;

namespace Oriel.EndToEnd.Tests;

/// <summary>A target's JPEG quality reaches the VNC engine: on a photo-like screen it cuts the bytes the target sends.</summary>
public sealed class TargetJpegTests
{
    [Fact]
    public async Task AJpegTargetMovesFarFewerBytesThanALosslessOneOnAPhoto()
    {
        await using var xvnc = await XvncServer.StartAsync(new XvncOptions { Width = 640, Height = 480 });
        var picture = Path.Combine(xvnc.WorkDirectory, "photo.xwd");
        await File.WriteAllBytesAsync(picture, PhotoImage.Xwd(640, 480));
        await xvnc.RunXClientAsync("xwud", "-in", picture, "-geometry", "+0+0");
        await Task.Delay(1500);

        await using var gateway = await GatewayUnderTest.StartAsync();
        await gateway.CreateUserAsync("gina", "gina-password-12", resize: false);
        await gateway.AddVncTargetAsync("lossless", xvnc.Port, ["none"]);
        await gateway.AddVncTargetAsync("jpeg", xvnc.Port, ["none"], jpegQuality: 6);
        var cookie = await gateway.SignInCookieAsync("gina", "gina-password-12");

        async Task<long> BytesFromTargetAsync(string target)
        {
            await using (var client = await TdpTestClient.ConnectAsync(gateway.BaseAddress, target, cookie))
            {
                await client.StartAsync(width: 640, height: 480);
                await client.WaitForFramesAsync(2);
            }
            var end = await SessionIsolationTests.WaitForAuditAsync(gateway, e => e.Target == target);
            return end.Details!["bytesFromTarget"]!.GetValue<long>();
        }

        var lossless = await BytesFromTargetAsync("lossless");
        var jpeg = await BytesFromTargetAsync("jpeg");
        Assert.True(lossless > 200_000, $"the photo should be expensive losslessly ({lossless} bytes)");
        Assert.True(jpeg * 3 < lossless, $"JPEG {jpeg} bytes vs lossless {lossless} bytes");
    }
}
