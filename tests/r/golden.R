# The golden reference for src/insight/interval.rs and src/insight/weighting.rs: the same figures
# from base R and R's survey package. tests/it/statistics.rs runs it and compares.
#   Rscript golden.R wilson COUNT BASE             -> low, high (prop.test without continuity correction)
#   Rscript golden.R rake N11,N12,N21,N22 A1 B1    -> each cell's weight, then Kish's design effect
#   Rscript golden.R ciprop W1,W2.. A1,A2.. B1,B2..  -> share, standard error, low, high (svyciprop, xlogit)
#   Rscript golden.R ttest W,A,B W,A,B               -> difference, standard error, low, high (svyttest)
# For ttest: each side's cells as in ciprop (weights, answers, bases), the earlier wave first.
# For ciprop: cells of respondents with weight Wi, Bi of them in the base and Ai of those with the answer.
# For rake: two questions of two answers (a, b), cells in the order a1b1, a1b2, a2b1, a2b2, raked to
# shares A1 of a = 1 and B1 of b = 1.
suppressPackageStartupMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
if (args[1] == "wilson") {
  interval <- prop.test(as.numeric(args[2]), as.numeric(args[3]), correct = FALSE)$conf.int
  cat(sprintf("%.12f", interval), sep = "\n")
} else if (args[1] == "rake") {
  counts <- as.integer(strsplit(args[2], ",")[[1]])
  a1 <- as.numeric(args[3])
  b1 <- as.numeric(args[4])
  cells <- data.frame(a = c("1", "1", "2", "2"), b = c("1", "2", "1", "2"), cell = 1:4)
  rows <- cells[rep(seq_len(4), counts), ]
  n <- nrow(rows)
  design <- svydesign(ids = ~1, data = rows, weights = rep(1, n))
  margins <- list(
    data.frame(a = c("1", "2"), Freq = n * c(a1, 1 - a1)),
    data.frame(b = c("1", "2"), Freq = n * c(b1, 1 - b1))
  )
  raked <- rake(design, list(~a, ~b), margins, control = list(maxit = 1000, epsilon = 1e-13))
  w <- weights(raked)
  cat(sprintf("%.12f", tapply(w, rows$cell, mean)), sep = "\n")
  cat(sprintf("%.12f", n * sum(w^2) / sum(w)^2), sep = "\n")
} else if (args[1] == "ciprop") {
  numbers <- function(i) as.numeric(strsplit(args[i], ",")[[1]])
  w <- numbers(2)
  a <- numbers(3)
  b <- numbers(4)
  rows <- do.call(rbind, lapply(seq_along(w), function(i) {
    data.frame(weight = rep(w[i], b[i]), y = c(rep(1, a[i]), rep(0, b[i] - a[i])))
  }))
  design <- svydesign(ids = ~1, data = rows, weights = ~weight)
  ci <- svyciprop(~y, design, method = "xlogit")
  cat(sprintf("%.12f", c(coef(ci), sqrt(attr(ci, "var")), attr(ci, "ci"))), sep = "\n")
} else if (args[1] == "ttest") {
  cells <- function(w, a, b, wave) {
    numbers <- function(x) as.numeric(strsplit(x, ",")[[1]])
    w <- numbers(w); a <- numbers(a); b <- numbers(b)
    do.call(rbind, lapply(seq_along(w), function(i) {
      data.frame(weight = rep(w[i], b[i]), y = c(rep(1, a[i]), rep(0, b[i] - a[i])), wave = wave)
    }))
  }
  rows <- rbind(cells(args[2], args[3], args[4], "1"), cells(args[5], args[6], args[7], "2"))
  rows$wave <- factor(rows$wave)
  design <- svydesign(ids = ~1, data = rows, weights = ~weight)
  test <- svyttest(y ~ wave, design)
  cat(sprintf("%.12f", c(test$estimate, test$estimate / test$statistic, test$conf.int)), sep = "\n")
}
