namespace AuthPlatform.WebApi.Http;

/// <summary>Configuration section <c>Https</c>: redirection and HSTS, on by default outside Development.</summary>
public sealed class HttpsOptions
{
    public const string SectionName = "Https";

    /// <summary>Redirect plain-HTTP requests to HTTPS (308). Default: on outside Development.</summary>
    public bool? Redirect { get; set; }

    /// <summary>Send <c>Strict-Transport-Security</c> on HTTPS answers. Default: on outside Development.</summary>
    public bool? Hsts { get; set; }

    public TimeSpan HstsMaxAge { get; set; } = TimeSpan.FromDays(365);

    public bool HstsIncludeSubDomains { get; set; }

    /// <summary>The HTTPS port redirects go to, when it cannot be read from the server's own addresses.</summary>
    public int? Port { get; set; }
}

/// <summary>Configuration section <c>Cors</c>: the browser origins allowed to call the API. None by default.</summary>
public sealed class CrossOriginOptions
{
    public const string SectionName = "Cors";

    public List<string> AllowedOrigins { get; set; } = [];
}

/// <summary>HTTPS redirection, HSTS and CORS, each as configured (docs/operations.md, "HTTPS, HSTS and CORS").</summary>
public static class HttpSecurity
{
    public const string CorsPolicy = "configured-origins";

    private static readonly string[] CorsMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    private static readonly string[] CorsHeaders = ["Authorization", "Content-Type", "X-API-Key", "X-2FA-Code"];
    private static readonly string[] CorsExposedHeaders = ["WWW-Authenticate", "Retry-After"];

    public static IServiceCollection AddHttpSecurity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var https = configuration.GetSection(HttpsOptions.SectionName).Get<HttpsOptions>() ?? new HttpsOptions();
        var crossOrigin = configuration.GetSection(CrossOriginOptions.SectionName).Get<CrossOriginOptions>() ?? new CrossOriginOptions();
        var origins = crossOrigin.AllowedOrigins;
        var production = !environment.IsDevelopment();
        https.Redirect ??= production;
        https.Hsts ??= production;
        services.AddSingleton(https);
        services.AddSingleton(crossOrigin);
        services.AddHsts(hsts =>
        {
            hsts.MaxAge = https.HstsMaxAge;
            hsts.IncludeSubDomains = https.HstsIncludeSubDomains;
        });
        services.AddHttpsRedirection(redirect =>
        {
            redirect.RedirectStatusCode = StatusCodes.Status308PermanentRedirect;
            redirect.HttpsPort = https.Port;
        });
        if (origins.Count > 0)
        {
            // A predicate rather than WithOrigins: the answers then carry "Vary: Origin", so a cache never
            // hands an answer made for one origin (or for none) to another.
            var allowed = new HashSet<string>(origins, StringComparer.OrdinalIgnoreCase);
            services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
                .SetIsOriginAllowed(allowed.Contains)
                .WithMethods(CorsMethods)
                .WithHeaders(CorsHeaders)
                .WithExposedHeaders(CorsExposedHeaders)
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        }

        return services;
    }

    /// <summary>After the forwarded headers (so a request the proxy received over HTTPS counts as HTTPS), before authentication.</summary>
    public static WebApplication UseHttpSecurity(this WebApplication app)
    {
        var https = app.Services.GetRequiredService<HttpsOptions>();
        if (https.Hsts == true)
        {
            app.UseHsts();
        }

        if (https.Redirect == true)
        {
            app.UseHttpsRedirection();
        }

        if (app.Services.GetRequiredService<CrossOriginOptions>().AllowedOrigins.Count > 0)
        {
            app.UseCors(CorsPolicy);
        }

        return app;
    }
}
