using System.Net;

namespace Oriel.Gateway.Links;

/// <summary>
/// The small HTML pages of <c>/link/TOKEN</c>: a refusal, and the same-site hop. No script and no inline style
/// (the gateway's Content-Security-Policy allows neither); the look comes from <see cref="StylePath"/>.
/// </summary>
internal static class LinkPage
{
    public const string StylePath = "/link/page.css";

    public const string Style =
        "body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:#f3f4f6;" +
        "font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2937}" +
        "main{max-width:32rem;margin:1rem;padding:2rem;background:#fff;border-radius:.5rem;box-shadow:0 1px 3px rgba(0,0,0,.15)}" +
        "h1{margin:0 0 .75rem;font-size:1.3rem}p{margin:.5rem 0}.code{color:#6b7280;font-size:.85rem}a{color:#1d4ed8}";

    public static string Refusal(LinkRefusal refusal) => Document(
        LinkRefusals.Title(refusal),
        $"<h1 id=\"link-refused\" data-reason=\"{LinkRefusals.Code(refusal)}\">{Encode(LinkRefusals.Title(refusal))}</h1>" +
        $"<p id=\"link-reason\">{Encode(LinkRefusals.Sentence(refusal))}</p>" +
        $"<p class=\"code\">Reason: {LinkRefusals.Code(refusal)}. <a href=\"/\">Go to the sign-in page</a></p>",
        refresh: null);

    /// <summary>
    /// Served when the link was followed from another site: the browser withholds the SameSite=Strict session cookie
    /// on such a navigation, so the gateway could not tell who is signed in here. A meta refresh re-requests the link
    /// from this origin, with the cookie.
    /// </summary>
    public static string Hop(string sameSiteUrl) => Document(
        "Opening the desktop",
        $"<h1>Opening the desktop…</h1><p><a id=\"link-continue\" href=\"{Encode(sameSiteUrl)}\">Continue</a></p>",
        refresh: sameSiteUrl);

    private static string Document(string title, string body, string? refresh) =>
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">" +
        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\">" +
        (refresh is null ? "" : $"<meta http-equiv=\"refresh\" content=\"0;url={Encode(refresh)}\">") +
        $"<title>{Encode(title)} — Oriel</title><link rel=\"stylesheet\" href=\"{StylePath}\"></head>" +
        $"<body><main>{body}</main></body></html>";

    private static string Encode(string s) => WebUtility.HtmlEncode(s);
}
