using System.Net;
using System.Text;
using Oriel.Gateway.Configuration;

namespace Oriel.Gateway.Tests;

public sealed class CsrfAndHeadersTests
{
    [Fact]
    public async Task Post_WithoutCsrfHeader_IsRefused()
    {
        await using var gw = await TestGateway.StartAsync();
        using var client = gw.NewClient();
        await client.CsrfAsync();
        using var content = new StringContent("""{"username":"admin","password":"x"}""", Encoding.UTF8, "application/json");
        using var r = await client.Http.PostAsync("/api/auth/signin", content);
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
    }

    [Fact]
    public async Task Post_WithWrongCsrfToken_IsRefused()
    {
        await using var gw = await TestGateway.StartAsync();
        using var client = gw.NewClient();
        using var r = await client.SignInAsync("admin", gw.FirstRunAdmin().Password, req =>
        {
            req.Headers.Remove("X-Oriel-Csrf");
            req.Headers.Add("X-Oriel-Csrf", "forged-forged-forged-forged-forged");
        });
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
    }

    [Fact]
    public async Task Post_FromAnotherOrigin_IsRefused_SameOriginIsAccepted()
    {
        await using var gw = await TestGateway.StartAsync();
        using var client = gw.NewClient();
        var password = gw.FirstRunAdmin().Password;
        using (var evil = await client.SignInAsync("admin", password, req => req.Headers.Add("Origin", "https://evil.example")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, evil.StatusCode);
        }

        var own = gw.BaseAddress.GetLeftPart(UriPartial.Authority);
        using var ok = await client.SignInAsync("admin", password, req => req.Headers.Add("Origin", own));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Post_AsForm_IsRefusedWith415()
    {
        await using var gw = await TestGateway.StartAsync();
        using var client = gw.NewClient();
        var token = await client.CsrfAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "admin", ["password"] = "x" }),
        };
        request.Headers.Add("X-Oriel-Csrf", token);
        using var r = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, r.StatusCode);
    }

    [Fact]
    public async Task StaticFiles_SpaFallback_SecurityHeaders_AndApi404()
    {
        var web = Path.Combine(Path.GetTempPath(), "oriel-gw-web-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(web, "assets"));
        await File.WriteAllTextAsync(Path.Combine(web, "index.html"), "<!doctype html><title>oriel-test-index</title>");
        await File.WriteAllTextAsync(Path.Combine(web, "assets", "app.js"), "console.log('x')");
        try
        {
            await using var gw = await TestGateway.StartAsync(o => o.WebRoot = web);
            using var client = gw.NewClient();
            using var deep = await client.Http.GetAsync("/targets/some-desktop");
            Assert.Equal(HttpStatusCode.OK, deep.StatusCode);
            Assert.Contains("oriel-test-index", await deep.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            var csp = string.Join(";", deep.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
            Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("connect-src 'self' ws: wss:", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", deep.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", deep.Headers.GetValues("Referrer-Policy").Single());

            using var js = await client.Http.GetAsync("/assets/app.js");
            Assert.Equal(HttpStatusCode.OK, js.StatusCode);
            Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);

            using var api = await client.Http.GetAsync("/api/no-such-thing");
            Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        }
        finally
        {
            Directory.Delete(web, recursive: true);
        }
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http", "127.0.0.1:8080", true)]
    [InlineData("http://127.0.0.1:8081", "http", "127.0.0.1:8080", false)]
    [InlineData("https://127.0.0.1:8080", "http", "127.0.0.1:8080", false)]
    [InlineData("https://oriel.example.com", "http", "127.0.0.1:8080", true)] // configured public URL
    [InlineData("https://oriel.example.com:443", "http", "127.0.0.1:8080", true)]
    [InlineData("null", "http", "127.0.0.1:8080", false)]
    [InlineData(null, "http", "127.0.0.1:8080", false)]
    public void OriginValidator_AcceptsOnlyOwnOrConfiguredOrigins(string? origin, string scheme, string host, bool expected)
    {
        var validator = new Identity.OriginValidator(new GatewayOptions { PublicUrls = ["https://Oriel.Example.com/"] });
        var ctx = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        ctx.Request.Scheme = scheme;
        ctx.Request.Host = new Microsoft.AspNetCore.Http.HostString(host);
        if (origin is not null)
        {
            ctx.Request.Headers.Origin = origin;
        }

        Assert.Equal(expected, validator.IsAllowed(ctx));
    }
}
