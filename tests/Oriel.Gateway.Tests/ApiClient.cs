using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Oriel.Gateway.Tests;

/// <summary>An HTTP client with its own cookie jar that does the CSRF double-submit like the web client.</summary>
internal sealed class ApiClient : IDisposable
{
    public ApiClient(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        Handler = new HttpClientHandler { CookieContainer = Cookies, UseCookies = true, AllowAutoRedirect = false };
        Http = new HttpClient(Handler) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    public HttpClientHandler Handler { get; }

    public HttpClient Http { get; }

    public string? Cookie(string name) => Cookies.GetCookies(Http.BaseAddress!)[name]?.Value;

    public async Task<string> CsrfAsync()
    {
        if (Cookie("oriel_csrf") is { } existing)
        {
            return existing;
        }

        var r = await Http.GetFromJsonAsync<JsonElement>("/api/auth/csrf");
        return r.GetProperty("token").GetString()!;
    }

    public async Task<HttpResponseMessage> PostJsonAsync(string path, object body, Action<HttpRequestMessage>? tweak = null)
    {
        var token = await CsrfAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Oriel-Csrf", token);
        tweak?.Invoke(request);
        return await Http.SendAsync(request);
    }

    public Task<HttpResponseMessage> SignInAsync(string user, string password, Action<HttpRequestMessage>? tweak = null) =>
        PostJsonAsync("/api/auth/signin", new { username = user, password }, tweak);

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var r = await Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        return await r.Content.ReadFromJsonAsync<JsonElement>();
    }

    public void Dispose()
    {
        Http.Dispose();
        Handler.Dispose();
    }
}
