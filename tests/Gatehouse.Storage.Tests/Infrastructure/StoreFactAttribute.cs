using Xunit.Abstractions;
using Xunit.Sdk;

namespace Gatehouse.Storage.Tests.Infrastructure;

/// <summary>
/// A fact of the storage contract suite. The suite is written once in an abstract class and
/// inherited by one class per engine, so the attribute on a method cannot know the engine;
/// its discoverer can: it sees the concrete class, and skips the test when that class is
/// marked <see cref="RequiresPostgresAttribute"/> and no PostgreSQL is configured outside CI.
/// </summary>
[XunitTestCaseDiscoverer("Gatehouse.Storage.Tests.Infrastructure.StoreFactDiscoverer", "Gatehouse.Storage.Tests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class StoreFactAttribute : FactAttribute;

/// <summary>Marks a test class whose tests need the PostgreSQL server of <see cref="PostgresTestEnvironment"/>.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RequiresPostgresAttribute : Attribute;

/// <summary>A fact that needs PostgreSQL, for tests written directly in the PostgreSQL class.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute() => Skip = PostgresTestEnvironment.SkipReason;
}

public sealed class StoreFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute) =>
        new StoreTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
}

public sealed class StoreTestCase : XunitTestCase
{
    [Obsolete("Called by the de-serializer only.", error: true)]
    public StoreTestCase()
    {
    }

    public StoreTestCase(IMessageSink sink, TestMethodDisplay display, TestMethodDisplayOptions options, ITestMethod testMethod)
        : base(sink, display, options, testMethod)
    {
    }

    // Computed again after de-serialization (Initialize calls it), so nothing extra to serialize.
    protected override string? GetSkipReason(IAttributeInfo factAttribute) =>
        base.GetSkipReason(factAttribute)
        ?? (TestMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresPostgresAttribute)).Any() ? PostgresTestEnvironment.SkipReason : null);
}
