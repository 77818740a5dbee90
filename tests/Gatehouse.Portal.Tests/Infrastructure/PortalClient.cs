using System.Net;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Gatehouse.Portal.Tests.Infrastructure;

/// <summary>
/// A browser without a browser: keeps cookies, never follows redirects on its own (tests assert
/// them), parses pages with AngleSharp and posts forms the way a browser would.
/// </summary>
public sealed class PortalClient : IDisposable
{
    private static readonly HtmlParser Parser = new();
    private readonly HttpClient _http;

    public PortalClient(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Http => _http;

    public async Task<Page> GetAsync(string path, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        return await Page.ReadAsync(await _http.SendAsync(request));
    }

    /// <summary>Posts fields to a path; with <paramref name="tokenFrom"/>, first reads a page for a valid anti-forgery token.</summary>
    public async Task<Page> PostAsync(string path, IDictionary<string, string> fields, string? tokenFrom = null)
    {
        var form = new Dictionary<string, string>(fields);
        if (tokenFrom is not null)
        {
            form["__RequestVerificationToken"] = (await GetAsync(tokenFrom)).AntiforgeryToken();
        }

        return await Page.ReadAsync(await _http.PostAsync(path, new FormUrlEncodedContent(form)));
    }

    public async Task SignInWithTokenAsync(string token)
    {
        var page = await PostAsync("/signin?handler=token", new Dictionary<string, string> { ["token"] = token, ["returnUrl"] = "/" }, tokenFrom: "/signin");
        Assert.Equal(HttpStatusCode.Redirect, page.Status);
    }

    public void Dispose() => _http.Dispose();

    public sealed record Page(HttpStatusCode Status, HttpResponseMessage Response, string Html, IDocument Document)
    {
        public string? Location => Response.Headers.Location?.OriginalString;

        public static async Task<Page> ReadAsync(HttpResponseMessage response)
        {
            var html = await response.Content.ReadAsStringAsync();
            var document = await Parser.ParseDocumentAsync(html);
            return new Page(response.StatusCode, response, html, document);
        }

        public string AntiforgeryToken() =>
            Document.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("the page has no anti-forgery token:\n" + Html);

        public string Text => Document.Body?.TextContent ?? string.Empty;
    }
}
