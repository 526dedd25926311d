-- 002_seed_vendor_platforms.sql
--
-- Seeds the built-in expert network vendors (user_id NULL = shared catalog).
-- Idempotent: a vendor whose slug already exists among the built-ins is left
-- untouched, so re-running never overwrites edits made since.
-- The ON CONFLICT target matches the partial unique index
-- vendor_platforms_builtin_slug_key (slug) WHERE user_id IS NULL.

INSERT INTO expert_network.vendor_platforms (slug, display_name, website_url, description)
VALUES
    ('glg', 'GLG', 'https://glginsights.com',
     'Gerson Lehrman Group, one of the largest expert networks: phone consultations, surveys and events with industry specialists.'),
    ('alphasights', 'AlphaSights', 'https://www.alphasights.com',
     'Global expert network known for fast turnaround on expert calls for consultancies and investors.'),
    ('guidepoint', 'Guidepoint', 'https://www.guidepoint.com',
     'Expert network offering calls, surveys and data products across industries.'),
    ('third-bridge', 'Third Bridge', 'https://www.thirdbridge.com',
     'Expert calls plus Forum, a library of expert interview transcripts for investors.'),
    ('tegus', 'Tegus', 'https://www.tegus.com',
     'Searchable library of expert call transcripts with on-demand calls; part of AlphaSense since 2024.'),
    ('coleman-research', 'Coleman Research', 'https://www.colemanrg.com',
     'Expert network serving investment and corporate clients with calls and project work.'),
    ('dialectica', 'Dialectica', 'https://www.dialecticanet.com',
     'Expert network headquartered in London with strong European coverage.'),
    ('prosapient', 'proSapient', 'https://prosapient.com',
     'Expert network with integrated call platform, transcription and compliance tooling.'),
    ('atheneum', 'Atheneum', 'https://www.atheneum.ai',
     'Expert network with broad coverage of industry specialists for research and due diligence.'),
    ('capvision', 'Capvision', 'https://www.capvision.com',
     'Expert network with deep coverage of China and the wider Asia-Pacific region.'),
    ('newtonx', 'NewtonX', 'https://www.newtonx.com',
     'AI-assisted expert recruiting for B2B surveys and expert calls with verified professionals.')
ON CONFLICT (slug) WHERE user_id IS NULL DO NOTHING;
