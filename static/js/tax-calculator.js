// Live 8:2 split of a project's tax revenue between the village or town that introduced it and
// the zone, as the visitor types; without this script the form is sent by GET and the server
// answers with the same figures.
(function () {
  "use strict";
  var form = document.querySelector("form.js-tax-calculator");
  if (!form) return;
  var input = form.querySelector("input[name=tax]");
  var townShare = Number(form.dataset.townShare);
  // "owner" is the account's "project owners": the introducing village or town, never the investor.
  var owner = document.querySelector("output[data-share=owner]");
  var zone = document.querySelector("output[data-share=zone]");
  var format = new Intl.NumberFormat(document.documentElement.lang || "en", { maximumFractionDigits: 2 });

  function update() {
    var text = input.value.replace(/[,，\s]/g, "");
    if (!/^\d+(\.\d+)?$/.test(text)) {
      owner.value = "";
      zone.value = "";
      return;
    }
    var fen = Math.round(Number(text) * 100);
    var ownerFen = Math.round((fen * townShare) / 100);
    owner.value = format.format(ownerFen / 100);
    zone.value = format.format((fen - ownerFen) / 100);
  }

  input.addEventListener("input", update);
})();
