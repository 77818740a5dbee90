using System.Reflection;
using Gatehouse.Server.Notifications;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Notifications;

public sealed class NotificationDocsTests
{
    [Fact]
    public void NotificationCodes_AreInTheirRange_AndEachIsDocumentedUnderItsAnchor()
    {
        var errors = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "errors.md")).ReplaceLineEndings("\n");
        var codes = typeof(NotificationErrors).GetFields(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.NotEmpty(codes);
        Assert.All(codes, code =>
        {
            Assert.InRange(int.Parse(code[2..], System.Globalization.CultureInfo.InvariantCulture), 6020, 6099);
            Assert.Contains($"<a id=\"{code.ToLowerInvariant()}\"></a>\n### {code}: ", errors, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void NotificationsDoc_NamesEveryEventTypeAndSetting()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "notifications.md"));
        foreach (var type in NotificationScenario.AllTypes)
        {
            Assert.Contains($"`{type}`", doc, StringComparison.Ordinal);
        }

        foreach (var setting in new[] { "GATEHOUSE_NOTIFY_MAX_ATTEMPTS", "GATEHOUSE_NOTIFY_RETRY_BASE_MS", "GATEHOUSE_SMTP_HOST", "GATEHOUSE_SMTP_PASSWORD_FILE", "GATEHOUSE_PUBLIC_URL" })
        {
            Assert.Contains(setting, doc, StringComparison.Ordinal);
        }
    }
}
