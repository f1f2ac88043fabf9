// Clicking a talk timestamp (a link to talk.<ext>#t=SECONDS) seeks the player on the page
// instead of leaving it. Without a player the link still opens the video at that second.
// The player is a <video> of the local talk file, or an iframe embed (YouTube/Bilibili) whose
// data-seek-src holds its address with {t} where the start second goes.
(function () {
  function seekEmbed(frame, seconds) {
    var template = frame.getAttribute("data-seek-src") || "";
    if (!/^https:\/\/(www\.youtube-nocookie\.com|player\.bilibili\.com)\//.test(template)) return false;
    frame.src = template.replace("{t}", String(Math.floor(seconds)));
    return true;
  }

  function seek(event) {
    var link = event.target.closest && event.target.closest("a[href*='#t=']");
    if (!link) return;
    var match = /talk\.[a-z0-9]+#t=(\d+(?:\.\d+)?)/.exec(link.getAttribute("href") || "");
    var player = document.querySelector("video.coursewiki-player, iframe.coursewiki-player");
    if (!match || !player) return;
    var seconds = parseFloat(match[1]);
    var box = player.closest("details");  // the report keeps its player in a collapsed box
    if (player.tagName === "IFRAME") {
      if (!seekEmbed(player, seconds)) return;
      event.preventDefault();
      if (box) box.open = true;
    } else {
      event.preventDefault();
      if (box) box.open = true;
      player.currentTime = seconds;
      var playing = player.play();
      if (playing && playing.catch) playing.catch(function () {});
    }
    player.scrollIntoView({ behavior: "smooth", block: "center" });
  }
  document.addEventListener("click", seek);
})();
