// Longer than 150 lines because the call to /verify, the reading of its answer and the caches of both verdicts must change together.
using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace AuthPlatform.AspNetCore;

/// <summary>
/// Verifies API keys through the server's <c>GET /api/v1/auth/verify</c> and remembers the answer
/// under the key's SHA-256: a confirmed key for <see cref="AuthPlatformOptions.ApiKeyCacheDuration"/>
/// (never past its <c>expires_at</c>), a refused one for <see cref="AuthPlatformOptions.ApiKeyFailureCacheDuration"/>.
/// Concurrent requests with the same unknown key share one call. An unreachable server, or any
/// answer but 200 and 401, is not remembered and answers 503.
/// </summary>
internal sealed class ApiKeyVerifier(HttpClient http, Uri verifyUri, AuthPlatformOptions options, string scheme, TimeProvider clock, ILogger logger)
{
    private const int MaxKeyLength = 512;
    private readonly CredentialCache<Verdict> _verdicts = new(options.MaxCachedCredentials);
    private readonly ConcurrentDictionary<string, Lazy<Task<Verdict>>> _inFlight = new(StringComparer.Ordinal);
    private readonly TimeSpan _cacheDuration = options.ApiKeyCacheDuration;
    private readonly TimeSpan _failureCacheDuration = options.ApiKeyFailureCacheDuration;
    private int _calls;

    /// <summary>How many times the server was asked (for tests and diagnostics).</summary>
    public int Calls => Volatile.Read(ref _calls);

    public async ValueTask<Outcome> VerifyAsync(string key, CancellationToken cancellationToken)
    {
        if (key.Length > MaxKeyLength || key.Any(c => c is <= ' ' or > '~'))
        {
            return Outcome.Refused(AuthPlatformErrors.InvalidApiKey, "The API key is malformed.");
        }

        var hash = CredentialHash.Of(key);
        if (_verdicts.TryGet(hash, out var verdict) && verdict.Until > clock.GetUtcNow())
        {
            return verdict.Outcome;
        }

        var call = _inFlight.GetOrAdd(hash, h => new Lazy<Task<Verdict>>(() => AskServerAsync(key, h)));
        verdict = await call.Value.WaitAsync(cancellationToken);
        return verdict.Outcome;
    }

    private async Task<Verdict> AskServerAsync(string key, string hash)
    {
        try
        {
            var verdict = await CallAsync(key);
            if (verdict.Until > clock.GetUtcNow())
            {
                _verdicts.Set(hash, verdict);
            }
            else
            {
                _verdicts.Remove(hash);
            }

            return verdict;
        }
        finally
        {
            _inFlight.TryRemove(hash, out _);
        }
    }

    private async Task<Verdict> CallAsync(string key)
    {
        Interlocked.Increment(ref _calls);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, verifyUri);
            request.Headers.TryAddWithoutValidation("X-API-Key", key);
            using var response = await http.SendAsync(request, CancellationToken.None);
            var body = await response.Content.ReadAsByteArrayAsync(CancellationToken.None);
            var now = clock.GetUtcNow();
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return Accepted(body, now);
            }

            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                var (code, detail) = ReadProblem(body);
                return new Verdict(Outcome.Refused(code, detail), now + _failureCacheDuration);
            }

            logger.LogWarning("AuthPlatform: {Uri} answered {Status} to an API-key check.", verifyUri, (int)response.StatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or FormatException)
        {
            logger.LogWarning(e, "AuthPlatform: an API key could not be verified at {Uri}.", verifyUri);
        }

        return Unavailable;
    }

    private static readonly Verdict Unavailable =
        new(Outcome.Refused(AuthPlatformErrors.ServiceUnavailable, "The API key could not be verified: the authorization server did not answer."), DateTimeOffset.MinValue);

    private Verdict Accepted(byte[] body, DateTimeOffset now)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        if (!root.TryGetProperty("active", out var active) || active.ValueKind != JsonValueKind.True)
        {
            return new Verdict(Outcome.Refused(AuthPlatformErrors.InvalidApiKey, "The API key is not active."), now + _failureCacheDuration);
        }

        var subject = root.GetProperty("subject").GetString() ?? throw new FormatException("/verify answered no subject.");
        var method = root.TryGetProperty("method", out var m) ? m.GetString() ?? "api_key" : "api_key";
        var claims = new List<Claim> { new(AuthPlatformDefaults.SubjectClaim, subject), new(AuthPlatformDefaults.MethodClaim, method) };
        if (root.TryGetProperty("api_key_id", out var keyId) && keyId.ValueKind == JsonValueKind.String)
        {
            claims.Add(new Claim(AuthPlatformDefaults.ApiKeyIdClaim, keyId.GetString()!));
        }

        if (root.TryGetProperty("client_id", out var clientId) && clientId.ValueKind == JsonValueKind.String)
        {
            claims.Add(new Claim(AuthPlatformDefaults.ClientIdClaim, clientId.GetString()!));
        }

        if (root.TryGetProperty("scopes", out var scopes) && scopes.ValueKind == JsonValueKind.Array)
        {
            claims.AddRange(scopes.EnumerateArray().Select(s => s.GetString()).OfType<string>().Select(s => new Claim(AuthPlatformDefaults.ScopeClaim, s)));
        }

        var until = now + _cacheDuration;
        if (root.TryGetProperty("expires_at", out var expires) && expires.ValueKind == JsonValueKind.String
            && expires.TryGetDateTimeOffset(out var expiresAt) && expiresAt < until)
        {
            until = expiresAt;
        }

        return new Verdict(Outcome.Accepted(claims, scheme), until);
    }

    private static (string Code, string Detail) ReadProblem(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var code = root.TryGetProperty("code", out var c) && c.GetString() is AuthPlatformErrors.InvalidToken or AuthPlatformErrors.TokenExpired
                ? c.GetString()! : AuthPlatformErrors.InvalidApiKey;
            var detail = root.TryGetProperty("detail", out var d) && d.GetString() is { Length: > 0 } t ? t : "The API key is invalid.";
            return (code, detail);
        }
        catch (JsonException)
        {
            return (AuthPlatformErrors.InvalidApiKey, "The API key is invalid.");
        }
    }

    private sealed record Verdict(Outcome Outcome, DateTimeOffset Until);
}
