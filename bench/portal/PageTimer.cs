using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;

namespace Gatehouse.Portal.Bench;

internal sealed record PageTiming(string Organisation, string Page, string Path, double MedianMs, double P95Ms, double MaxMs, int Bytes);

/// <summary>
/// Signs in through the sign-in form, then requests each page over loopback with a kept-alive
/// connection: after warm-up, the round trip is the server's time plus a fraction of a millisecond.
/// </summary>
internal static partial class PageTimer
{
    private const int WarmUp = 5;

    public static async Task<List<PageTiming>> MeasureAsync(BenchOrganisation org, int iterations)
    {
        using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = org.Url };
        await SignInAsync(http, org.Token);

        // Loading a large organisation leaves a large heap behind; collect it before timing pages.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        var results = new List<PageTiming>();
        foreach (var (page, path) in org.Pages)
        {
            var times = new List<double>();
            var bytes = 0;
            for (var i = 0; i < WarmUp + iterations; i++)
            {
                var timer = Stopwatch.StartNew();
                using var response = await http.GetAsync(path);
                var body = await response.Content.ReadAsByteArrayAsync();
                timer.Stop();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}");
                }

                if (i >= WarmUp)
                {
                    times.Add(timer.Elapsed.TotalMilliseconds);
                }

                bytes = body.Length;
            }

            times.Sort();
            results.Add(new PageTiming(org.Name, page, path, times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.95) - 1], times[^1], bytes));
        }

        return results;
    }

    private static async Task SignInAsync(HttpClient http, string token)
    {
        var signin = await http.GetStringAsync("/signin");
        var antiforgery = AntiforgeryField().Match(signin).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token, ["__RequestVerificationToken"] = antiforgery });
        using var response = await http.PostAsync("/signin?handler=token", form);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in failed: {(int)response.StatusCode}");
        }
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
