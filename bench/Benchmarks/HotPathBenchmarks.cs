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
/// The classes come from the real server's composition (<see cref="BenchServer"/>), so the signing
/// key and the API key are made the way the server makes them.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private const string Password = "correct horse battery staple 42";

    private BenchServer _server = null!;
    private IServiceProvider _services = null!;
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
    private AuthPlatform.Application.Auth.VerifyCredential.VerifyResponse _answer = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = new BenchServer();
        _services = _server.Services;
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

        var caller = _validator.TryValidateRemembered(_token, out var remembered) ? remembered.Caller!.Identity : throw new InvalidOperationException("Not remembered.");
        _answer = new(true, caller.Method, caller.Subject, caller.Scopes, caller.ClientId, caller.ApiKeyId, caller.ExpiresAt);

        _secrets = new SecretGenerator();
        _refreshToken = _secrets.NewSecret();

        _passwords = new IdentityPasswordHasher(Options.Create(new PasswordHashingOptions { Iterations = 220_000 }));
        _passwordHash = _passwords.Hash(Password);

        // The API key the server issued and verified once: remembered.
        _apiKeys = _services.GetRequiredService<IApiKeyAuthenticator>();
        _apiKey = _server.ApiKey;
        if (!_apiKeys.TryAuthenticateFromMemory(_apiKey, out _))
        {
            throw new InvalidOperationException("The API key is not remembered.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _server.Dispose();

    /// <summary>
    /// GET /verify's check of an access token verified lately: found by its text, lifetime, revocation
    /// and security stamp checked (goal: no allocation).
    /// </summary>
    [Benchmark]
    public TokenValidation ValidateAccessTokenRemembered() =>
        _validator.TryValidateRemembered(_token, out var validation) ? validation : throw new InvalidOperationException("Not remembered.");

    /// <summary>The first sight of a token: a fresh validator, so the full check (what every token pays once).</summary>
    [Benchmark]
    public Task<TokenValidation> ValidateAccessTokenFirstSight() =>
        new JwtAccessTokenValidator(
            _services.GetRequiredService<SigningKeyRing>(),
            _services.GetRequiredService<SecurityStampCache>(),
            _services.GetRequiredService<RevokedClientCache>(),
            _services.GetRequiredService<IOptions<AuthPlatform.Application.Common.Options.JwtOptions>>(),
            TimeProvider.System,
            _services.GetRequiredService<RevokedAccessTokenCache>()).ValidateAsync(_token, CancellationToken.None);

    /// <summary>GET /verify's check of an API key seen in the last minute: checksum, SHA-256, memory (goal: no allocation).</summary>
    [Benchmark]
    public TokenValidation AuthenticateApiKeyRemembered() =>
        _apiKeys.TryAuthenticateFromMemory(_apiKey, out var validation) ? validation : throw new InvalidOperationException("Not remembered.");

    /// <summary>The JSON of GET /verify's answer, made once per remembered credential (then its bytes are written again).</summary>
    [Benchmark]
    public byte[] WriteVerifyAnswer() => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(_answer, AuthPlatform.WebApi.Http.HotPathJson.Default.VerifyResponse);

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
