# Plots error_control.csv (written by the error_control example): the solution against cos t, and on a log scale
# the error bound of each segment against the true error |y - cos t|.
#   gnuplot -e "csv='error_control.csv'; png='error_control.png'" examples/plot_error_control.gp
# Add tolerance=1e-10 (inside the quotes) to draw the tolerance too. Needs gnuplot (Debian: gnuplot-nox).
if (!exists("csv")) csv = 'error_control.csv'
if (!exists("png")) png = 'error_control.png'
set terminal pngcairo size 1000,750 noenhanced font ",11"
set output png
set datafile separator ","
set key top right opaque
set grid
set multiplot layout 2,1
set title "y'' + y = 0, y(0) = 1, y'(0) = 0, solved with a tolerance: trial solution vs cos t"
set xlabel "t"
set ylabel "y"
set yrange [-1.3:1.6]
plot csv every 20 using 1:2 with points pt 7 ps 0.5 lc rgb "#d62728" title "trial solution y(t)", \
     csv using 1:3 with lines lw 1.5 lc rgb "#1f77b4" title "cos t"
set title "error bound of the segment serving t against the true error"
set ylabel "error"
set yrange [*:*]
set logscale y
set format y "%.0e"
set key bottom right opaque
set offsets 0, 0, graph 0.05, 0
if (exists("tolerance")) {
  plot csv using 1:5 with steps lw 2 lc rgb "#ff7f0e" title "segment bound", \
       csv using 1:4 with lines lw 1 lc rgb "#2ca02c" title "|y - cos t|", \
       tolerance with lines dt 2 lw 1.5 lc rgb "black" title "tolerance"
} else {
  plot csv using 1:5 with steps lw 2 lc rgb "#ff7f0e" title "segment bound", \
       csv using 1:4 with lines lw 1 lc rgb "#2ca02c" title "|y - cos t|"
}
unset multiplot
