using System.Net.Http.Headers;

namespace Gatehouse.Cli.Client;

/// <summary>
/// Tells the server who triggered the CI run (GitHub Actions' GITHUB_ACTOR, GitLab's
/// GITLAB_USER_LOGIN), so that person cannot decide what a deploy-token push files. The
/// header only ever takes power away, so sending it from any environment is safe.
/// </summary>
internal static class CiTrigger
{
    public const string Header = "X-Gatehouse-Triggered-By";

    public static void AddTo(HttpHeaders headers, Func<string, string?> environment)
    {
        var person = environment("GITHUB_ACTOR") is { Length: > 0 } github ? github : environment("GITLAB_USER_LOGIN");

        // A login is one printable ASCII word; anything else would only make the request fail.
        person = person?.Trim();
        if (person is { Length: > 0 and <= 100 } && person.All(c => c is > ' ' and < '\x7f'))
        {
            headers.TryAddWithoutValidation(Header, person);
        }
    }
}
