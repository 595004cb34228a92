"""The shared content blocks: an embedded video's frame is named for screen readers."""

from wagtail.embeds import blocks as embed_blocks

from toolkit.blocks import VideoBlock, titled_frames

PLAYER = '<iframe width="480" height="270" src="https://video.example/embed/1" allowfullscreen></iframe>'


def test_every_frame_without_a_title_gets_the_videos_title_escaped():
    html = PLAYER + '<iframe title="Kept" src="x"></iframe><IFRAME src="y"></IFRAME>'
    named = titled_frames(html, 'Pricing "basics" & you')
    assert named.count('<iframe title="Pricing &quot;basics&quot; &amp; you" width=') == 1
    assert '<iframe title="Kept" src="x">' in named  # its own title stays
    assert '<iframe title="Pricing &quot;basics&quot; &amp; you" src="y">' in named
    assert titled_frames("", "Any") == ""
    assert titled_frames(PLAYER, "C:\\videos\\1").startswith('<iframe title="C:\\videos\\1"')


def test_the_video_block_renders_the_player_with_its_title_and_the_transcript(monkeypatch):
    monkeypatch.setattr(embed_blocks, "embed_to_frontend_html", lambda url, *sizes: PLAYER)
    block = VideoBlock()
    value = block.to_python({"video": "https://video.example/1", "title": "Listing photos", "transcript": "Step one."})
    html = block.render(value)
    assert '<figure class="block-video" aria-label="Listing photos"><iframe title="Listing photos" width="480"' in html
    assert "<summary>Transcript</summary>" in html and "Step one." in html
