using AuthPlatform.Domain.Sessions;
using AuthPlatform.Infrastructure.Persistence.Converters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AuthPlatform.Infrastructure.Persistence.Configurations;

public sealed class RefreshTokenFamilyConfiguration : IEntityTypeConfiguration<RefreshTokenFamily>
{
    public void Configure(EntityTypeBuilder<RefreshTokenFamily> builder)
    {
        builder.ToTable("refresh_token_families");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.HasIndex(f => f.UserId);
        builder.HasOne<Domain.Users.User>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(f => f.AuthenticationMethods).HasMaxLength(64);
        builder.Property(f => f.Scopes).HasConversion<ScopeSetConverter>().HasMaxLength(4096);
        builder.Property(f => f.IpAddress).HasMaxLength(64);
        builder.Property(f => f.UserAgent).HasMaxLength(512);
        builder.Property(f => f.RevocationReason).HasMaxLength(64);
        builder.Property(f => f.ClientId).HasMaxLength(128);
        builder.HasIndex(f => new { f.ClientId, f.UserId });

        // Read by every node at start-up and each tick of Redis's degraded mode (ADR 0022: revocations
        // within a token's lifetime), and by the pruning of ended sessions with CurrentTokenExpiresAt.
        builder.HasIndex(f => f.RevokedAt);
        builder.HasIndex(f => f.CurrentTokenExpiresAt);

        // The compare-and-swap of rotation: an UPDATE only succeeds if the version is still the one read.
        builder.Property(f => f.Version).IsConcurrencyToken();

        builder.HasMany(f => f.Tokens).WithOne().HasForeignKey(t => t.FamilyId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(f => f.Tokens).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

public sealed class RefreshTokenConfiguration : IEntityTypeConfiguration<RefreshToken>
{
    public void Configure(EntityTypeBuilder<RefreshToken> builder)
    {
        builder.ToTable("refresh_tokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.TokenHash).HasMaxLength(128).IsRequired();
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.ExpiresAt); // the pruning of redeemed tokens, oldest first
    }
}
