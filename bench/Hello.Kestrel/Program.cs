// A minimal Kestrel app, the baseline every server-bench endpoint is reported against: the same
// builder as `gatehouse serve` (CreateSlimBuilder), ASP.NET Core logging at Warning, one route.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.SetMinimumLevel(LogLevel.Warning);

var app = builder.Build();
app.MapGet("/", () => "Hello");
app.Run();
