using AuthPlatform.Domain.OAuth;
using AuthPlatform.Infrastructure.Persistence.Converters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthPlatform.Infrastructure.Persistence.Configurations;

/// <summary>
/// <c>oauth_clients</c> and its <c>oauth_client_secrets</c>. The public <c>client_id</c> is unique
/// and is what codes and consents refer to (deleting a client deletes them: cascade). Lists are
/// space-separated text (their items hold no space).
/// <para>
/// Codes and consents have no foreign key to <c>users</c>, only an index: SQL Server refuses two
/// cascade paths from <c>users</c> (directly, and through the owner's clients), and users are
/// disabled, never deleted.
/// </para>
/// </summary>
public sealed class OAuthClientConfiguration : IEntityTypeConfiguration<OAuthClient>
{
    public void Configure(EntityTypeBuilder<OAuthClient> builder)
    {
        builder.ToTable("oauth_clients");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.ClientId).HasMaxLength(128).IsRequired();
        builder.HasAlternateKey(c => c.ClientId).HasName("IX_oauth_clients_client_id");
        builder.HasIndex(c => c.OwnerId);
        builder.HasOne<Domain.Users.User>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.Name).HasMaxLength(OAuthClientRules.MaxNameLength).IsRequired();
        builder.Property(c => c.Type).HasConversion<string>().HasMaxLength(16).IsRequired();
        Lists(builder.Property(c => c.RedirectUris));
        Lists(builder.Property(c => c.PostLogoutRedirectUris));
        Lists(builder.Property(c => c.GrantTypes)).HasMaxLength(256);
        builder.Property(c => c.Scopes).HasConversion<ScopeSetConverter>().HasMaxLength(4096).IsRequired();
        builder.Property(c => c.Version).IsConcurrencyToken();

        builder.OwnsMany(c => c.Secrets, secret =>
        {
            secret.ToTable("oauth_client_secrets");
            secret.WithOwner().HasForeignKey("ClientId").HasPrincipalKey(c => c.ClientId);
            secret.HasKey(s => s.Id);
            secret.Property(s => s.Id).ValueGeneratedNever();
            secret.Property(s => s.SecretHash).HasMaxLength(128).IsRequired();
            secret.HasIndex(s => s.SecretHash).IsUnique();
        });
        builder.Navigation(c => c.Secrets).UsePropertyAccessMode(PropertyAccessMode.Field);
    }

    private static PropertyBuilder<IReadOnlyList<string>> Lists(PropertyBuilder<IReadOnlyList<string>> property) =>
        property.HasConversion(new StringListConverter(), new StringListComparer()).IsRequired();
}

/// <summary><c>authorization_codes</c>: found by the unique SHA-256 of the code; <c>version</c> guards single use.</summary>
public sealed class AuthorizationCodeConfiguration : IEntityTypeConfiguration<AuthorizationCode>
{
    public void Configure(EntityTypeBuilder<AuthorizationCode> builder)
    {
        builder.ToTable("authorization_codes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.CodeHash).HasMaxLength(128).IsRequired();
        builder.HasIndex(c => c.CodeHash).IsUnique();
        builder.Property(c => c.ClientId).HasMaxLength(128).IsRequired();
        builder.HasOne<OAuthClient>().WithMany().HasForeignKey(c => c.ClientId).HasPrincipalKey(c => c.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => c.UserId);
        builder.Property(c => c.RedirectUri).HasMaxLength(OAuthClientRules.MaxUriLength).IsRequired();
        builder.Property(c => c.Scopes).HasConversion<ScopeSetConverter>().HasMaxLength(4096).IsRequired();
        builder.Property(c => c.CodeChallenge).HasMaxLength(128);
        builder.Property(c => c.CodeChallengeMethod).HasMaxLength(16);
        builder.Property(c => c.Nonce).HasMaxLength(AuthorizationCode.MaxNonceLength);
        builder.Property(c => c.AuthenticationMethods).HasMaxLength(64);
        builder.Property(c => c.IssuedAccessTokenId).HasMaxLength(128);
        builder.HasIndex(c => c.ExpiresAt);
        builder.Property(c => c.Version).IsConcurrencyToken();
    }
}

/// <summary><c>user_grants</c>: one consent per user and client (unique).</summary>
public sealed class UserGrantConfiguration : IEntityTypeConfiguration<UserGrant>
{
    public void Configure(EntityTypeBuilder<UserGrant> builder)
    {
        builder.ToTable("user_grants");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).ValueGeneratedNever();
        builder.Property(g => g.ClientId).HasMaxLength(128).IsRequired();
        builder.HasIndex(g => new { g.UserId, g.ClientId }).IsUnique();
        builder.HasIndex(g => g.ClientId);
        builder.HasOne<OAuthClient>().WithMany().HasForeignKey(g => g.ClientId).HasPrincipalKey(c => c.ClientId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(g => g.Scopes).HasConversion<ScopeSetConverter>().HasMaxLength(4096).IsRequired();
        builder.Property(g => g.Version).IsConcurrencyToken();
    }
}
