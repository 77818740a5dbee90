using System.Reflection;

namespace Gatehouse.Storage.Tests;

public sealed class StoreErrorsTests
{
    // Regression: the first codes (GH40xx, GH50xx) collided with the server's and OAuth's own.
    [Fact]
    public void Store_codes_are_unique_and_stay_in_the_store_ranges()
    {
        var codes = typeof(StoreErrors).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, code => Assert.Matches("^GH(41|42|51)[0-9]{2}$", code));
    }
}
