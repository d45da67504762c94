// Longer than 150 lines because registration, reconfiguration, secret rotation and secret verification guard one set of invariants over private setters.
using System.Security.Cryptography;
using System.Text;
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.OAuth;

/// <summary>What a client's owner chooses; <see cref="FirstParty"/> is an administrator's choice (the caller checks who may set it).</summary>
public sealed record OAuthClientSettings(
    string Name,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    IReadOnlyList<string> GrantTypes,
    ScopeSet Scopes,
    bool RequireConsent,
    bool FirstParty);

/// <summary>
/// A registered OAuth 2.0 client (RFC 6749 section 2): a third-party or first-party app that
/// signs users in, or a backend that uses client credentials. Every setting is checked by
/// <see cref="OAuthClientRules"/>; a confidential client holds one or more secrets, kept as
/// SHA-256 hashes and compared in constant time (<see cref="VerifySecret"/>); a public client none.
/// </summary>
public sealed class OAuthClient : AggregateRoot
{
    public const string ClientIdPrefix = "oc_";
    public static readonly TimeSpan MaxSecretGracePeriod = TimeSpan.FromDays(7);

    private readonly List<OAuthClientSecret> _secrets = [];

    private OAuthClient()
    {
    }

    public Guid Id { get; private set; }

    /// <summary>The public identifier (<c>oc_</c> and random base62): what apps send as <c>client_id</c>.</summary>
    public string ClientId { get; private set; } = string.Empty;

    /// <summary>The user who registered the client; null for the server's built-in client (<see cref="RegisterBuiltIn"/>), which no user owns.</summary>
    public Guid? OwnerId { get; private set; }

    /// <summary>The server's own client, kept by configuration rather than by a user (<see cref="RegisterBuiltIn"/>).</summary>
    public bool BuiltIn => OwnerId is null;

    public string Name { get; private set; } = string.Empty;

    public OAuthClientType Type { get; private set; }

    public IReadOnlyList<string> RedirectUris { get; private set; } = [];

    public IReadOnlyList<string> PostLogoutRedirectUris { get; private set; } = [];

    public IReadOnlyList<string> GrantTypes { get; private set; } = [];

    public ScopeSet Scopes { get; private set; } = ScopeSet.Empty;

    public bool RequireConsent { get; private set; }

    /// <summary>An app of the operator's own, set by an administrator: the only kind that may use the password grant.</summary>
    public bool FirstParty { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public int Version { get; private set; }

    public IReadOnlyCollection<OAuthClientSecret> Secrets => _secrets;

    /// <summary>
    /// Registers a client. A confidential client needs its first secret (<paramref name="secret"/>:
    /// id and SHA-256); a public client must have none.
    /// </summary>
    public static OAuthClient Register(
        Guid id,
        string clientId,
        Guid ownerId,
        OAuthClientType type,
        OAuthClientSettings settings,
        (Guid Id, string Hash)? secret,
        Guid actorId,
        DateTimeOffset now)
    {
        if (id == Guid.Empty || ownerId == Guid.Empty || actorId == Guid.Empty)
        {
            throw new DomainException("A client needs an id, an owner and who registered it.");
        }

        Guard.Utc(now, nameof(now));
        if (!IsWellFormedClientId(clientId))
        {
            throw new DomainException($"A client id is '{ClientIdPrefix}' and 22 to 64 base62 characters.");
        }

        if (!Enum.IsDefined(type))
        {
            throw new DomainException("Unknown client type.");
        }

        if ((type == OAuthClientType.Confidential) != secret.HasValue)
        {
            throw new DomainException("A confidential client starts with one secret; a public client has none.");
        }

        var client = new OAuthClient { Id = id, ClientId = clientId, OwnerId = ownerId, Type = type, CreatedAt = now, UpdatedAt = now };
        client.Apply(settings);
        if (secret is { } first)
        {
            client._secrets.Add(OAuthClientSecret.Create(first.Id, first.Hash, now));
        }

        client.Raise(new OAuthClientCreated(id, clientId, ownerId, type, actorId));
        return client;
    }

    /// <summary>
    /// Registers a client the server itself provides (the built-in client of the <c>authplatform</c> CLI): no
    /// owner, no secret (public), first-party. Configuration keeps it (<c>ReconfigureBuiltIn</c>), never a user.
    /// </summary>
    public static OAuthClient RegisterBuiltIn(Guid id, string clientId, OAuthClientSettings settings, DateTimeOffset now)
    {
        if (id == Guid.Empty)
        {
            throw new DomainException("A client needs an id.");
        }

        Guard.Utc(now, nameof(now));
        if (!IsWellFormedClientId(clientId))
        {
            throw new DomainException($"A client id is '{ClientIdPrefix}' and 22 to 64 base62 characters.");
        }

        var client = new OAuthClient { Id = id, ClientId = clientId, OwnerId = null, Type = OAuthClientType.Public, CreatedAt = now, UpdatedAt = now };
        client.Apply(settings);
        client.Raise(new OAuthClientCreated(id, clientId, null, OAuthClientType.Public, null));
        return client;
    }

    public static bool IsWellFormedClientId(string? clientId) =>
        clientId is { Length: >= 25 and <= 67 } && clientId.StartsWith(ClientIdPrefix, StringComparison.Ordinal)
        && clientId[ClientIdPrefix.Length..].All(char.IsAsciiLetterOrDigit);

    /// <summary>Replaces the settings; raises <see cref="OAuthClientUpdated"/> with what changed (nothing when nothing did).</summary>
    public void Reconfigure(OAuthClientSettings settings, Guid? actorId, DateTimeOffset now)
    {
        Guard.Utc(now, nameof(now));
        var before = (Name, RedirectUris, PostLogoutRedirectUris, GrantTypes, Scopes, RequireConsent, FirstParty);
        Apply(settings);
        var changed = new List<string>();
        AddIf(changed, before.Name != Name, "name");
        AddIf(changed, !before.RedirectUris.SequenceEqual(RedirectUris), "redirect_uris");
        AddIf(changed, !before.PostLogoutRedirectUris.SequenceEqual(PostLogoutRedirectUris), "post_logout_redirect_uris");
        AddIf(changed, !before.GrantTypes.SequenceEqual(GrantTypes), "grant_types");
        AddIf(changed, !before.Scopes.Equals(Scopes), "scopes");
        AddIf(changed, before.RequireConsent != RequireConsent, "require_consent");
        AddIf(changed, before.FirstParty != FirstParty, "first_party");
        if (changed.Count == 0)
        {
            return;
        }

        UpdatedAt = now;
        Version++;
        Raise(new OAuthClientUpdated(Id, ClientId, OwnerId, changed, actorId));
    }

    /// <summary>
    /// Adds a new secret. The earlier ones keep working for <paramref name="gracePeriod"/> (zero:
    /// they stop at once; at most <see cref="MaxSecretGracePeriod"/>); those already expired are dropped.
    /// </summary>
    public OAuthClientSecret RotateSecret(Guid secretId, string secretHash, TimeSpan gracePeriod, Guid actorId, DateTimeOffset now)
    {
        Guard.Utc(now, nameof(now));
        if (Type != OAuthClientType.Confidential)
        {
            throw new DomainException("A public client has no secret to rotate.");
        }

        if (gracePeriod < TimeSpan.Zero || gracePeriod > MaxSecretGracePeriod)
        {
            throw new DomainException($"The earlier secrets may keep working for 0 to {MaxSecretGracePeriod.TotalDays} days.");
        }

        var secret = OAuthClientSecret.Create(secretId, secretHash, now);
        _secrets.RemoveAll(s => !s.IsActive(now));
        var previousExpireAt = now + gracePeriod;
        foreach (var previous in _secrets)
        {
            previous.ExpireBy(previousExpireAt);
        }

        _secrets.Add(secret);
        UpdatedAt = now;
        Version++;
        Raise(new OAuthClientSecretRotated(Id, ClientId, OwnerId, secret.Id, previousExpireAt, actorId));
        return secret;
    }

    /// <summary>
    /// True when <paramref name="presentedSecretHash"/> (the SHA-256, lowercase hex, of what the
    /// client sent) is the hash of one of its unexpired secrets. Every secret is compared, each in
    /// constant time, so the answer's timing tells nothing of the stored hashes.
    /// </summary>
    public bool VerifySecret(string presentedSecretHash, DateTimeOffset now)
    {
        if (Type != OAuthClientType.Confidential || string.IsNullOrEmpty(presentedSecretHash))
        {
            return false;
        }

        var presented = Encoding.ASCII.GetBytes(presentedSecretHash);
        var match = false;
        foreach (var secret in _secrets)
        {
            var equal = CryptographicOperations.FixedTimeEquals(presented, Encoding.ASCII.GetBytes(secret.SecretHash));
            match |= equal && secret.IsActive(now);
        }

        return match;
    }

    public bool AllowsGrant(string grantType) => GrantTypes.Contains(grantType, StringComparer.Ordinal);

    /// <summary>Exact match with a registered redirect URI; only a loopback port may vary (<see cref="OAuthClientRules.RedirectUriMatches"/>).</summary>
    public bool AllowsRedirectUri(string? presented) =>
        presented is not null && RedirectUris.Any(r => OAuthClientRules.RedirectUriMatches(r, presented));

    /// <summary>Exact match with a registered post-logout redirect URI.</summary>
    public bool AllowsPostLogoutRedirectUri(string? presented) =>
        presented is not null && PostLogoutRedirectUris.Contains(presented, StringComparer.Ordinal);

    /// <summary>Marks the client for deletion by its repository (its secrets, codes and consents go with it).</summary>
    public void Delete(Guid? actorId) => Raise(new OAuthClientDeleted(Id, ClientId, OwnerId, actorId));

    private void Apply(OAuthClientSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(settings.Scopes);
        var name = Guard.NotBlank(settings.Name, nameof(settings.Name), OAuthClientRules.MaxNameLength).Trim();
        var redirectUris = CheckedUris(settings.RedirectUris, "redirect_uris");
        var postLogout = CheckedUris(settings.PostLogoutRedirectUris, "post_logout_redirect_uris");
        var grants = settings.GrantTypes?.ToArray() ?? throw new DomainException("grant_types is required.");
        if (OAuthClientRules.CheckGrants(Type, grants, redirectUris.Length, settings.FirstParty) is [var first, ..])
        {
            throw new DomainException($"{first.Field}: {first.Message}");
        }

        if (settings.Scopes.Count is 0 or > OAuthClientRules.MaxScopes)
        {
            throw new DomainException($"A client holds 1 to {OAuthClientRules.MaxScopes} scopes.");
        }

        Name = name;
        RedirectUris = redirectUris;
        PostLogoutRedirectUris = postLogout;
        GrantTypes = grants;
        Scopes = settings.Scopes;
        RequireConsent = settings.RequireConsent;
        FirstParty = settings.FirstParty;
    }

    private string[] CheckedUris(IReadOnlyList<string>? uris, string field)
    {
        var list = uris?.ToArray() ?? throw new DomainException($"{field} is required (it may be empty).");
        if (list.Length > OAuthClientRules.MaxUris || list.Distinct(StringComparer.Ordinal).Count() != list.Length)
        {
            throw new DomainException($"{field}: at most {OAuthClientRules.MaxUris} URIs, each once.");
        }

        if (list.Select(u => OAuthClientRules.RedirectUriProblem(u, Type)).FirstOrDefault(p => p is not null) is { } problem)
        {
            throw new DomainException($"{field}: {problem}");
        }

        return list;
    }

    private static void AddIf(List<string> changed, bool condition, string name)
    {
        if (condition)
        {
            changed.Add(name);
        }
    }
}
