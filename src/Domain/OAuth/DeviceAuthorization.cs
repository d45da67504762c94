// Longer than 150 lines because the device authorization's states (pending, approved, denied, redeemed), its expiry and its polling interval are guarded together over private setters.
using AuthPlatform.Domain.Authorization;
using AuthPlatform.Domain.Common;

namespace AuthPlatform.Domain.OAuth;

/// <summary>Where a device authorization stands (RFC 8628).</summary>
public enum DeviceAuthorizationStatus
{
    /// <summary>Waiting for a person to enter the user code and decide.</summary>
    Pending,

    /// <summary>A person approved it: the device's next poll receives the tokens.</summary>
    Approved,

    /// <summary>A person denied it: every poll is answered <c>access_denied</c>.</summary>
    Denied,

    /// <summary>The device received its tokens: the device code is spent.</summary>
    Redeemed,
}

/// <summary>What a person's decision on the verification page came to.</summary>
public enum DeviceDecisionOutcome
{
    Recorded,

    /// <summary>Someone decided already (a code is approved or denied once).</summary>
    AlreadyDecided,

    Expired,
}

/// <summary>What a device's poll of the token endpoint came to (RFC 8628 3.5).</summary>
public enum DevicePollOutcome
{
    /// <summary>Approved and now redeemed: the caller issues the tokens and records them with <see cref="DeviceAuthorization.RecordIssued"/>.</summary>
    Redeemed,

    AuthorizationPending,

    /// <summary>Polled before the interval passed: the interval grew by <see cref="DeviceAuthorization.SlowDownStep"/>.</summary>
    SlowDown,

    Denied,

    Expired,

    /// <summary>The device code was redeemed already.</summary>
    AlreadyRedeemed,
}

/// <summary>
/// A device authorization request (RFC 8628): a device (a CLI) holds the device code and polls the
/// token endpoint, while a signed-in person enters the user code on the verification page and
/// approves or denies. Only SHA-256 hashes of both codes are stored. It lives until
/// <see cref="ExpiresAt"/>; it is decided once, and redeemed once. <see cref="Version"/> is a
/// concurrency token: of two parallel redemptions (or decisions) only one is saved.
/// </summary>
public sealed class DeviceAuthorization : AggregateRoot
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan SlowDownStep = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromMinutes(1);

    private DeviceAuthorization()
    {
    }

    public Guid Id { get; private set; }

    public string DeviceCodeHash { get; private set; } = string.Empty;

    public string UserCodeHash { get; private set; } = string.Empty;

    /// <summary>The public client identifier (<see cref="OAuthClient.ClientId"/>).</summary>
    public string ClientId { get; private set; } = string.Empty;

    public ScopeSet Scopes { get; private set; } = ScopeSet.Empty;

    public DeviceAuthorizationStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset ExpiresAt { get; private set; }

    /// <summary>The least time between two polls, in seconds (RFC 8628 3.2 <c>interval</c>); grows on <c>slow_down</c>.</summary>
    public int IntervalSeconds { get; private set; }

    public DateTimeOffset? LastPolledAt { get; private set; }

    /// <summary>Who approved or denied it.</summary>
    public Guid? UserId { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>When the approving person authenticated (the id_token's <c>auth_time</c>).</summary>
    public DateTimeOffset? AuthTime { get; private set; }

    /// <summary>RFC 8176 values of the approving sign-in, space separated (the id_token's <c>amr</c>).</summary>
    public string AuthenticationMethods { get; private set; } = string.Empty;

    public DateTimeOffset? RedeemedAt { get; private set; }

    /// <summary>The refresh-token family the redemption started, if any.</summary>
    public Guid? IssuedFamilyId { get; private set; }

    public int Version { get; private set; }

    public IReadOnlyList<string> AuthenticationMethodList => AuthenticationMethods.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static DeviceAuthorization Request(
        Guid id, string deviceCodeHash, string userCodeHash, string clientId, ScopeSet scopes, TimeSpan lifetime, TimeSpan interval, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        if (id == Guid.Empty)
        {
            throw new DomainException("A device authorization needs an id.");
        }

        Guard.Utc(now, nameof(now));
        if (lifetime <= TimeSpan.Zero || lifetime > MaxLifetime)
        {
            throw new DomainException($"A device authorization lives at most {MaxLifetime.TotalMinutes} minutes.");
        }

        if (interval < TimeSpan.FromSeconds(1) || interval > MaxInterval || interval.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new DomainException($"The polling interval is whole seconds, 1 to {MaxInterval.TotalSeconds}.");
        }

        if (scopes.Count == 0)
        {
            throw new DomainException("A device authorization asks for at least one scope.");
        }

        var request = new DeviceAuthorization
        {
            Id = id,
            DeviceCodeHash = Guard.NotBlank(deviceCodeHash, nameof(deviceCodeHash), 128),
            UserCodeHash = Guard.NotBlank(userCodeHash, nameof(userCodeHash), 128),
            ClientId = Guard.NotBlank(clientId, nameof(clientId), 128),
            Scopes = scopes,
            Status = DeviceAuthorizationStatus.Pending,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            IntervalSeconds = (int)interval.TotalSeconds,
        };
        request.Raise(new DeviceAuthorizationRequested(id, request.ClientId, scopes.ToString()));
        return request;
    }

    public bool IsExpired(DateTimeOffset now) => now >= ExpiresAt;

    /// <summary>True while a person may still decide: pending and not expired.</summary>
    public bool AwaitsDecision(DateTimeOffset now) => Status == DeviceAuthorizationStatus.Pending && !IsExpired(now);

    /// <summary>A signed-in person approves: the device's next poll receives tokens for them.</summary>
    public DeviceDecisionOutcome Approve(Guid userId, DateTimeOffset authTime, IReadOnlyCollection<string> authenticationMethods, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(authenticationMethods);
        Guard.Utc(authTime, nameof(authTime));
        if (authTime > now)
        {
            throw new DomainException("The person cannot have authenticated after approving.");
        }

        var refused = CheckDecision(userId, now);
        if (refused is not null)
        {
            return refused.Value;
        }

        Status = DeviceAuthorizationStatus.Approved;
        UserId = userId;
        DecidedAt = now;
        AuthTime = authTime;
        AuthenticationMethods = string.Join(' ', authenticationMethods);
        Version++;
        Raise(new DeviceAuthorizationApproved(Id, userId, ClientId, Scopes.ToString()));
        return DeviceDecisionOutcome.Recorded;
    }

    /// <summary>A signed-in person denies: every poll is answered <c>access_denied</c>.</summary>
    public DeviceDecisionOutcome Deny(Guid userId, DateTimeOffset now)
    {
        var refused = CheckDecision(userId, now);
        if (refused is not null)
        {
            return refused.Value;
        }

        Status = DeviceAuthorizationStatus.Denied;
        UserId = userId;
        DecidedAt = now;
        Version++;
        Raise(new DeviceAuthorizationDenied(Id, userId, ClientId));
        return DeviceDecisionOutcome.Recorded;
    }

    /// <summary>
    /// The device polls (RFC 8628 3.4, 3.5). Approved: redeemed, once. Pending: polled before
    /// <see cref="IntervalSeconds"/> passed since the last poll, the interval grows by
    /// <see cref="SlowDownStep"/>; every pending poll is remembered.
    /// </summary>
    public DevicePollOutcome Poll(DateTimeOffset now)
    {
        Guard.Utc(now, nameof(now));
        switch (Status)
        {
            case DeviceAuthorizationStatus.Redeemed:
                return DevicePollOutcome.AlreadyRedeemed;
            case DeviceAuthorizationStatus.Denied:
                return DevicePollOutcome.Denied;
        }

        if (IsExpired(now))
        {
            return DevicePollOutcome.Expired;
        }

        if (Status == DeviceAuthorizationStatus.Approved)
        {
            Status = DeviceAuthorizationStatus.Redeemed;
            RedeemedAt = now;
            LastPolledAt = now;
            Version++;
            Raise(new DeviceAuthorizationRedeemed(Id, UserId!.Value, ClientId));
            return DevicePollOutcome.Redeemed;
        }

        var tooSoon = LastPolledAt is { } last && now - last < TimeSpan.FromSeconds(IntervalSeconds);
        LastPolledAt = now;
        Version++;
        if (tooSoon)
        {
            IntervalSeconds = Math.Min(IntervalSeconds + (int)SlowDownStep.TotalSeconds, (int)MaxInterval.TotalSeconds);
            return DevicePollOutcome.SlowDown;
        }

        return DevicePollOutcome.AuthorizationPending;
    }

    /// <summary>Records the refresh-token family the redemption started.</summary>
    public void RecordIssued(Guid? familyId)
    {
        if (Status != DeviceAuthorizationStatus.Redeemed)
        {
            throw new DomainException("Only a redeemed device authorization has issued tokens.");
        }

        if (IssuedFamilyId is not null)
        {
            throw new DomainException("A device authorization issues tokens once.");
        }

        IssuedFamilyId = familyId;
    }

    private DeviceDecisionOutcome? CheckDecision(Guid userId, DateTimeOffset now)
    {
        Guard.Utc(now, nameof(now));
        if (userId == Guid.Empty)
        {
            throw new DomainException("A decision needs the person who made it.");
        }

        if (Status != DeviceAuthorizationStatus.Pending)
        {
            return DeviceDecisionOutcome.AlreadyDecided;
        }

        return IsExpired(now) ? DeviceDecisionOutcome.Expired : null;
    }
}
