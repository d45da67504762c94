using AuthPlatform.AspNetCore;

// Settings: AuthPlatform__Authority (required), AuthPlatform__Issuer, AuthPlatform__RequireHttpsMetadata, ...
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddAuthPlatform(options => builder.Configuration.GetSection("AuthPlatform").Bind(options));
builder.Services.AddAuthorization(options => options.AddPolicy("models.read", policy => policy.RequireScope("models.read")));

var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();

// The same payload twice: behind the scope policy, and open (the benchmark's baseline).
app.MapGet("/models", SampleModels.List).RequireAuthorization("models.read");
app.MapGet("/public/models", SampleModels.List).AllowAnonymous();
app.MapGet("/whoami", (HttpContext http) => new
{
    subject = http.User.FindFirst(AuthPlatformDefaults.SubjectClaim)?.Value,
    method = http.User.FindFirst(AuthPlatformDefaults.MethodClaim)?.Value,
    scopes = http.User.FindAll(AuthPlatformDefaults.ScopeClaim).Select(c => c.Value).ToArray(),
}).RequireAuthorization();
app.Run();

/// <summary>The sample's resource, and the marker type tests start the app by.</summary>
public sealed class SampleModels
{
    private static readonly object[] Models =
    [
        new { id = "gpt-mini", owned_by = "acme", context_window = 128000 },
        new { id = "embed-small", owned_by = "acme", context_window = 8192 },
    ];

    public static IResult List() => Results.Ok(new { data = Models });
}
