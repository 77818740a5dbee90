using System.Buffers;
using System.Text;
using System.Text.Json;
using Gatehouse.Core.Access;
using Gatehouse.Server.Api;
using Gatehouse.Server.Catalogue;
using Gatehouse.Server.Checks;
using Gatehouse.Server.Decisions;

namespace Gatehouse.Server.Tests.Api;

/// <summary>
/// The hot paths read and write their JSON by hand (ADR 0041). Clients rely on the bytes being
/// those the serializer gives with the API's options, and on every body meaning what the
/// serializer reads from it (or failing as it fails): these compare the two on the same values.
/// </summary>
public sealed class HotJsonTests
{
    private static readonly string[] Awkward = ["", "billing", "a\"quote", "back\\slash", "<script>&amp;", "naïve ünïcode", "emoji 🎉", "tab\tnew\nline", "\u0001control", "'single'", "+plus", "ü".PadRight(300, 'x')];

    private static readonly DateTimeOffset[] Times = [new(2026, 12, 7, 3, 4, 5, TimeSpan.Zero), new(2027, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2)), new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(1234567)];

    [Fact]
    public void CheckAnswer_IsByteForByte_WhatTheSerializerWrites()
    {
        var random = new Random(15);
        for (var round = 0; round < 300; round++)
        {
            var results = Enumerable.Range(0, random.Next(0, 6)).Select(_ => new CheckEndpoint.CheckResultView(
                Pick(random), Pick(random), Pick(random),
                (AccessState)random.Next(0, Enum.GetValues<AccessState>().Length),
                random.Next(3) == 0 ? null : random.NextInt64(1, long.MaxValue),
                [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => Pick(random))],
                random.Next(2) == 0 ? null : Times[random.Next(Times.Length)],
                random.Next(2) == 0 ? null : Pick(random))).ToList();
            var answer = new CheckEndpoint.CheckResponse(Pick(random), random.Next(2) == 0, results);

            AssertSameAsSerializer(answer, new HotJsonResult<CheckEndpoint.CheckResponse>(answer, CheckEndpoint.Write));
        }
    }

    [Fact]
    public void DecisionAnswers_AreByteForByte_WhatTheSerializerWrites()
    {
        var random = new Random(16);
        for (var round = 0; round < 300; round++)
        {
            var decisions = Enumerable.Range(0, random.Next(1, 5)).Select(_ => new DecisionEndpoints.Decision(
                Pick(random), Pick(random), Pick(random), random.Next(2) == 0, Pick(random), Pick(random),
                random.Next(2) == 0 ? null : random.NextInt64(1, 1_000_000),
                random.Next(2) == 0 ? null : Times[random.Next(Times.Length)])).ToArray();

            AssertSameAsSerializer(decisions[0], new HotJsonResult<DecisionEndpoints.Decision>(decisions[0], DecisionEndpoints.Write));
            AssertSameAsSerializer(new { decisions }, new HotJsonResult<DecisionEndpoints.Decision[]>(decisions, DecisionEndpoints.WriteBatch));
        }
    }

    [Theory]
    [InlineData(ActorKind.User, true)]
    [InlineData(ActorKind.App, false)]
    [InlineData(ActorKind.Bootstrap, true)]
    public void MeAnswer_IsByteForByte_WhatTheSerializerWrote(ActorKind kind, bool admin)
    {
        var me = new MeView(new Actor(kind, "naïve \"name\""), admin, ["payments", "<ops>"]);

        // The shape the endpoint answered with before it was written by hand: an anonymous object.
        AssertSameAsSerializer(new { actor = me.Actor, kind = me.Kind, name = me.Name, isAdmin = me.IsAdmin, teams = me.Teams }, new HotJsonResult<MeView>(me, MeView.Write));
    }

    [Theory]
    [InlineData("""{"environment":"production","needs":[{"consumer":"checkout","provider":"billing","scope":"invoices.read"}]}""")]
    [InlineData("""{"needs":[{"consumer":"checkout","provider":"billing","scope":"invoices.read"},null,{}],"environment":"production"}""")]
    [InlineData("""  {"environment":null,"needs":null}  """)]
    [InlineData("""{"environment":"stag\u0069ng","needs":[]}""")]
    [InlineData("""{}""")]
    [InlineData("""{"Environment":"production"}""")]
    [InlineData("""{"environment":"production","environment":"staging"}""")]
    [InlineData("""{"environment":"production","extra":{"nested":[1,2,3]},"needs":[{"consumer":"a","provider":"b","scope":"c","why":1}]}""")]
    [InlineData("""{"environment":"production","needs":[{"CONSUMER":"a"}]}""")]
    [InlineData("""null""")]
    public void CheckBody_MeansWhatTheSerializerReads(string json) =>
        AssertReadsAsSerializer<CheckEndpoint.CheckBody>(json, CheckEndpoint.ParseBody);

    [Theory]
    [InlineData("""{"app":"checkout","scope":"billing:invoices.read","environment":"production"}""")]
    [InlineData("""{"queries":[{"app":"checkout","scope":"billing:invoices.read","environment":"production"},null,{}]}""")]
    [InlineData("""{"queries":[{"app":"checkout","queries":[]}]}""")]
    [InlineData("""{"app":"a","queries":null}""")]
    [InlineData("""{"App":"a"}""")]
    [InlineData("""{"app":"a","app":"b"}""")]
    [InlineData("""{"scope":"x","unknown":[true,{"a":null}]}""")]
    public void DecisionBody_MeansWhatTheSerializerReads(string json) =>
        AssertReadsAsSerializer<DecisionEndpoints.DecisionBody>(json, DecisionEndpoints.ParseBody);

    [Theory]
    [InlineData("""{"environment":"development","needs":"billing"}""")]
    [InlineData("""{"environment":"development","needs":[{"consumer":["a"]}]}""")]
    [InlineData("""{"environment":1}""")]
    [InlineData("{\n  \"environment\": \"development\",\n  bad")]
    [InlineData("""{"environment":"development"} trailing""")]
    [InlineData("""{"environment":"development",}""")]
    [InlineData("""{"environment":"\uD800"}""")]
    [InlineData("""[]""")]
    public void CheckBody_ThatTheSerializerRefuses_FailsWithTheSerializersError(string json)
    {
        var expected = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<CheckEndpoint.CheckBody>(json, ApiJson.Options));

        var actual = Assert.ThrowsAny<JsonException>(() => HotJson.Parse<CheckEndpoint.CheckBody>(Sequence(json), CheckEndpoint.ParseBody));

        Assert.Equal(expected.Message, actual.Message);
        Assert.Equal(expected.Path, actual.Path);
        Assert.Equal(expected.LineNumber, actual.LineNumber);
    }

    [Theory]
    [InlineData("""{"environment":"production","needs":[{"consumer":"checkout","provider":"billing","scope":"invoices.read"},null]}""", true)]
    [InlineData("""{"app":"checkout","scope":"billing:invoices.read","environment":"production"}""", false)]
    [InlineData("""{"queries":[{"app":"checkout","scope":"billing:invoices.read","environment":"production"}]}""", false)]
    public void WhatClientsSend_IsReadWithoutTheSerializer(string json, bool check)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));

        Assert.True(check ? CheckEndpoint.ParseBody(ref reader, out _) : DecisionEndpoints.ParseBody(ref reader, out _));
        Assert.False(reader.Read());
    }

    [Fact]
    public void Body_SplitAcrossSegments_IsReadTheSame()
    {
        const string json = """{"environment":"production","needs":[{"consumer":"checkout","provider":"billing","scope":"invoices.read"}]}""";
        for (var cut = 1; cut < json.Length; cut += 7)
        {
            var body = HotJson.Parse<CheckEndpoint.CheckBody>(Split(json, cut), CheckEndpoint.ParseBody)!;

            Assert.Equal("production", body.Environment);
            Assert.Equal(new CheckEndpoint.NeededAccess("checkout", "billing", "invoices.read"), Assert.Single(body.Needs!));
        }
    }

    private static string Pick(Random random) => Awkward[random.Next(Awkward.Length)] + (random.Next(3) == 0 ? random.Next(1000).ToString(System.Globalization.CultureInfo.InvariantCulture) : "");

    private static void AssertSameAsSerializer<T>(object expected, HotJsonResult<T> actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, expected.GetType(), ApiJson.Options), Encoding.UTF8.GetString(actual.ToBytes()));

    private static void AssertReadsAsSerializer<T>(string json, HotJson.Parser<T> parser)
        where T : class
    {
        var expected = JsonSerializer.Deserialize<T>(json, ApiJson.Options);

        var actual = HotJson.Parse(Sequence(json), parser);

        // Records compare lists by reference: compare what they serialize to.
        Assert.Equal(JsonSerializer.Serialize(expected, ApiJson.Options), JsonSerializer.Serialize(actual, ApiJson.Options));
    }

    private static ReadOnlySequence<byte> Sequence(string json) => new(Encoding.UTF8.GetBytes(json));

    private static ReadOnlySequence<byte> Split(string json, int cut)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var first = new Segment(bytes.AsMemory(0, cut));
        var last = first.Append(bytes.AsMemory(cut));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
