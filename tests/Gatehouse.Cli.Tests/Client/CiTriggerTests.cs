using Gatehouse.Cli.Client;

namespace Gatehouse.Cli.Tests.Client;

public sealed class CiTriggerTests
{
    private static string? Sent(params (string Name, string Value)[] variables)
    {
        using var request = new HttpRequestMessage();
        CiTrigger.AddTo(request.Headers, name => variables.FirstOrDefault(v => v.Name == name).Value);
        return request.Headers.TryGetValues(CiTrigger.Header, out var values) ? Assert.Single(values) : null;
    }

    [Fact]
    public void The_CI_systems_login_of_whoever_triggered_the_run_is_sent()
    {
        Assert.Equal("octocat", Sent(("GITHUB_ACTOR", "octocat"), ("GITLAB_USER_LOGIN", "other")));
        Assert.Equal("gitlab-user", Sent(("GITLAB_USER_LOGIN", " gitlab-user ")));
    }

    [Fact]
    public void Nothing_is_sent_outside_CI_or_for_a_value_no_header_can_carry()
    {
        Assert.Null(Sent());
        Assert.Null(Sent(("GITHUB_ACTOR", "")));
        Assert.Null(Sent(("GITHUB_ACTOR", "two\nlines")));
        Assert.Null(Sent(("GITHUB_ACTOR", "zoë")));
    }
}
