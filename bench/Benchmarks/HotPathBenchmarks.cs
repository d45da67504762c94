using System.Security.Cryptography;
using System.Text;
using AuthPlatform.Domain.ApiKeys;
using AuthPlatform.Domain.Users;
using AuthPlatform.Infrastructure;
using AuthPlatform.Infrastructure.ApiKeys;
using AuthPlatform.Infrastructure.Hashing;
using AuthPlatform.Infrastructure.Persistence;
using AuthPlatform.Infrastructure.Tokens;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.Auth.Common;

namespace AuthPlatform.Benchmarks;

/// <summary>
/// The per-request costs of authentication, measured in-process with the production classes:
/// what GET /api/v1/auth/verify pays for a JWT (validation), what login and refresh pay
/// (issuing; SHA-256 of a refresh token), and, for contrast, one password verification.
/// The signing key is made the way the server makes it: AddInfrastructure over a throwaway
/// SQLite database, then the DatabaseInitializer (migrations and the first ES256 key).
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private const string Password = "correct horse battery staple 42";

    private string _directory = "";
    private ServiceProvider? _services;
    private IAccessTokenIssuer _issuer = null!;
    private IAccessTokenValidator _validator = null!;
    private AccessTokenRequest _request = null!;
    private string _token = "";
    private ECDsa _publicKey = null!;
    private byte[] _signingInput = [];
    private byte[] _signature = [];
    private SecretGenerator _secrets = null!;
    private string _refreshToken = "";
    private IdentityPasswordHasher _passwords = null!;
    private string _passwordHash = "";
    private IApiKeyAuthenticator _apiKeys = null!;
    private string _apiKey = "";

    [GlobalSetup]
    public void Setup()
    {
        _directory = Path.Combine(Path.GetTempPath(), "authplatform-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "Sqlite",
                ["ConnectionStrings:Default"] = $"Data Source={Path.Combine(_directory, "bench.db")}",
                ["Passwords:Iterations"] = "220000",
            })
            .Build();

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddInfrastructure(configuration);
        _services = services.BuildServiceProvider(validateScopes: true);
        using (var scope = _services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        }

        _issuer = _services.GetRequiredService<IAccessTokenIssuer>();
        _validator = _services.GetRequiredService<IAccessTokenValidator>();
        _request = new AccessTokenRequest(
            Guid.NewGuid(), Guid.NewGuid(), ["profile", "api_keys:read", "api_keys:write"], ["pwd"], DateTimeOffset.UtcNow, "user", "bench-stamp-0001");
        _token = _issuer.IssueAsync(_request, CancellationToken.None).GetAwaiter().GetResult().Token;
        if (!_validator.ValidateAsync(_token, CancellationToken.None).GetAwaiter().GetResult().IsValid)
        {
            throw new InvalidOperationException("The issued token does not validate.");
        }

        // The bare ECDSA P-256 check of the same token, to see what the JWT library adds to it.
        var kid = new JsonWebToken(_token).Kid;
        var key = _services.GetRequiredService<SigningKeyRing>().FindValidationKeys(kid).Single();
        _publicKey = ((ECDsaSecurityKey)key).ECDsa;
        var lastDot = _token.LastIndexOf('.');
        _signingInput = Encoding.ASCII.GetBytes(_token[..lastDot]);
        _signature = WebEncoders.Base64UrlDecode(_token[(lastDot + 1)..]);
        if (!_publicKey.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256))
        {
            throw new InvalidOperationException("The bare signature check fails.");
        }

        _secrets = new SecretGenerator();
        _refreshToken = _secrets.NewSecret();

        _passwords = new IdentityPasswordHasher(Options.Create(new PasswordHashingOptions { Iterations = 220_000 }));
        _passwordHash = _passwords.Hash(Password);

        // An API key of a user, stored the way the server stores it.
        var generated = _services.GetRequiredService<ApiKeyFormat>().Generate();
        using (var scope = _services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
            var now = DateTimeOffset.UtcNow;
            var owner = User.Register(Guid.NewGuid(), EmailAddress.Create("bench@example.com"), "Bench", _passwordHash, "bench-stamp", now);
            db.Users.Add(owner);
            db.ApiKeys.Add(ApiKey.Issue(Guid.NewGuid(), owner.Id, "bench", generated.Prefix, generated.Hash, ["profile"], null, now));
            db.SaveChanges();
        }

        _apiKeys = _services.GetRequiredService<IApiKeyAuthenticator>();
        _apiKey = generated.Key;
        if (!_apiKeys.AuthenticateFromDatabaseAsync(_apiKey, CancellationToken.None).GetAwaiter().GetResult().IsValid)
        {
            throw new InvalidOperationException("The API key does not verify.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _services?.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>GET /verify's credential check: parse, ES256 signature, iss/aud/exp/typ, claims to a caller.</summary>
    [Benchmark]
    public Task<TokenValidation> ValidateAccessTokenRemembered() => _validator.ValidateAsync(_token, CancellationToken.None);

    /// <summary>The first sight of a token: a fresh validator, so the full check (what every token pays once).</summary>
    [Benchmark]
    public Task<TokenValidation> ValidateAccessTokenFirstSight() =>
        new JwtAccessTokenValidator(
            _services!.GetRequiredService<SigningKeyRing>(),
            _services!.GetRequiredService<SecurityStampCache>(),
            _services!.GetRequiredService<RevokedClientCache>(),
            _services!.GetRequiredService<IOptions<AuthPlatform.Application.Common.Options.JwtOptions>>(),
            TimeProvider.System,
            _services!.GetRequiredService<RevokedAccessTokenCache>()).ValidateAsync(_token, CancellationToken.None);

    /// <summary>GET /verify's check of an API key seen in the last minute: checksum, SHA-256, memory.</summary>
    [Benchmark]
    public TokenValidation AuthenticateApiKeyRemembered() =>
        _apiKeys.TryAuthenticateFromMemory(_apiKey, out var validation) ? validation : throw new InvalidOperationException("Not remembered.");

    /// <summary>The ECDSA P-256 signature check alone (OpenSSL), for comparison with the line above.</summary>
    [Benchmark]
    public bool EcdsaVerifyOnly() => _publicKey.VerifyData(_signingInput, _signature, HashAlgorithmName.SHA256);

    /// <summary>Login and refresh: claims, ES256 signature, serialization.</summary>
    [Benchmark]
    public Task<IssuedAccessToken> IssueAccessToken() => _issuer.IssueAsync(_request, CancellationToken.None);

    /// <summary>SHA-256 of a 256-bit refresh token (refresh, logout; API keys too).</summary>
    [Benchmark]
    public string HashRefreshToken() => _secrets.Hash(_refreshToken);

    /// <summary>For contrast: one password check, PBKDF2-HMAC-SHA512 with 220,000 iterations.</summary>
    [Benchmark]
    public PasswordCheck VerifyPassword220k() => _passwords.Verify(_passwordHash, Password);
}
